import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from screenpilot.agent.trajectory import TrajectoryRecorder, load_run, read_events

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_mid_run_leaves_a_readable_trajectory(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("killed_run.py")), str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    events = tmp_path / "victim" / "events.jsonl"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if events.exists() and events.read_text().count('"type": "step"') >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    traj = load_run(tmp_path / "victim")
    assert not traj.finished
    assert traj.manifest["task"] == "tab forever"
    steps = traj.steps
    assert len(steps) >= 5
    assert [s["index"] for s in steps] == list(range(len(steps)))
    for s in steps:
        assert traj.screenshot_path(s["screenshot"]).exists()


def test_reader_drops_a_truncated_last_line(tmp_path):
    rec = TrajectoryRecorder(tmp_path / "r")
    rec.event("step", index=0)
    rec.event("step", index=1)
    rec.close()
    with (tmp_path / "r" / "events.jsonl").open("a") as f:
        f.write('{"type": "step", "index": 2, "thou')
    traj = load_run(tmp_path / "r")
    assert [s["index"] for s in traj.steps] == [0, 1]
    assert traj.truncated_tail


def test_reader_skips_and_names_corruption_in_the_middle(tmp_path):
    (tmp_path / "events.jsonl").write_text('{"type": "a"}\nnot json\n[1]\n{"type": "b"}\n')
    (tmp_path / "manifest.json").write_text('{"run_id": "r", "ta')
    events, truncated = read_events(tmp_path / "events.jsonl")
    assert [e["type"] for e in events] == ["a", "b"] and not truncated
    traj = load_run(tmp_path)
    assert traj.manifest == {}
    assert traj.problems == (
        "events.jsonl line 2 is not a JSON object; skipped",
        "events.jsonl line 3 is not a JSON object; skipped",
        "manifest.json is not readable JSON (cut short?); ignored",
    )


def test_result_is_written_atomically_and_last(tmp_path):
    rec = TrajectoryRecorder(tmp_path / "r")
    rec.write_manifest({"run_id": "r"})
    assert not (tmp_path / "r" / "result.json").exists()
    rec.finish({"status": "success"})
    assert json.loads((tmp_path / "r" / "result.json").read_text()) == {"status": "success"}
    assert not list((tmp_path / "r").glob(".*.tmp"))


def test_screenshots_are_stored_once_per_content(tmp_path):
    from PIL import Image

    rec = TrajectoryRecorder(tmp_path / "r")
    a = rec.save_screenshot(Image.new("RGB", (10, 10), "red"))
    b = rec.save_screenshot(Image.new("RGB", (10, 10), "red"))
    c = rec.save_screenshot(Image.new("RGB", (10, 10), "blue"))
    assert a == b != c
    assert len(list((tmp_path / "r" / "shots").glob("*.png"))) == 2


def test_a_drivers_png_is_stored_byte_for_byte_without_encoding(tmp_path, monkeypatch):
    import hashlib
    import io

    from PIL import Image

    from screenpilot.environments import png
    from screenpilot.environments.capabilities import Capabilities
    from screenpilot.environments.encoded import remember_png
    from screenpilot.environments.geometry import ScreenGeometry
    from screenpilot.environments.observation import Observation

    encodes = []
    real = png.encode_png
    monkeypatch.setattr(png, "encode_png", lambda image: encodes.append(image) or real(image))
    buf = io.BytesIO()
    Image.effect_mandelbrot((64, 48), (-2, -1, 1, 1), 30).convert("RGB").save(buf, "PNG", compress_level=9)
    driver_bytes = buf.getvalue()
    image = Image.open(io.BytesIO(driver_bytes))
    image.load()
    remember_png(image, driver_bytes)
    obs = Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(64, 48),
        capabilities=Capabilities.of_screenshot(),
    )
    rec = TrajectoryRecorder(tmp_path / "r")
    digest = rec.save_screenshot(obs)
    assert rec.save_screenshot(obs) == digest == hashlib.sha256(driver_bytes).hexdigest()
    assert (tmp_path / "r" / "shots" / f"{digest}.png").read_bytes() == driver_bytes
    assert encodes == []
    plain = rec.save_screenshot(Image.new("RGB", (8, 8), "green"))  # no driver bytes: one encode
    assert len(encodes) == 1
    assert hashlib.sha256((tmp_path / "r" / "shots" / f"{plain}.png").read_bytes()).hexdigest() == plain


def test_events_reach_the_os_at_once_and_the_disk_at_step_boundaries(tmp_path, monkeypatch):
    from screenpilot.agent.trajectory import recorder as recorder_module

    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(recorder_module.os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    rec = TrajectoryRecorder(tmp_path / "r")
    rec.event("policy_notice", notice="a")
    rec.event("model_retry", attempt=1)
    # written through without an fsync: another process (a reader, a killed writer's
    # successor) sees both lines already
    assert [e["type"] for e in read_events(tmp_path / "r" / "events.jsonl")[0]] == [
        "policy_notice",
        "model_retry",
    ]
    assert synced == []
    rec.event("step", index=0)
    assert len(synced) == 1
    rec.event("crash", error="x")
    rec.close()
    assert len(synced) == 3  # the crash, then the close
