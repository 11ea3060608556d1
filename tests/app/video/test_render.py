"""Rendering a run into video.mp4 / video.vtt / video.json: timing, captions, memory."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from screenpilot.app.cli.main import main
from screenpilot.app.video.render import render_run
from screenpilot.app.video.timeline import Timeline
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.video.reader import iter_frames, probe
from tests.app.video.helpers import step_color, which_step, write_run


def test_frames_follow_the_steps_real_times(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [0.5, 1.0, 3.0, 3.2], end=5.0)
    rec = render_run(run)
    info = probe(rec.video)
    assert info.codec == "h264"
    assert info.duration_s == pytest.approx(5.0, abs=0.1)
    frames = list(iter_frames(rec.video))
    # the first screen from second 0, then each step when its screenshot was taken, and the
    # last screen again at the end so that it is shown until the run finished
    assert [round(t, 2) for t, _ in frames] == [0.0, 1.0, 3.0, 3.2, 5.0]
    assert [which_step(f, 4) for _, f in frames] == [0, 1, 2, 3, 3]
    timeline = Timeline.read(rec.timeline)
    assert [(s.step, s.start_s, s.end_s) for s in timeline.segments] == [
        (0, 0.5, 1.0),
        (1, 1.0, 3.0),
        (2, 3.0, 3.2),
        (3, 3.2, 5.0),
    ]
    assert [timeline.step_at(t) for t in (0.2, 0.7, 2.9, 3.1, 4.9)] == [None, 0, 1, 2, 3]


def test_caption_band_is_burned_in(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [0.0, 1.0], end=2.0)
    rec = render_run(run)
    _, frame = next(iter(iter_frames(rec.video)))
    arr = np.asarray(frame).astype(int)
    top, bottom = arr[10:50, 10:-10].mean(axis=(0, 1)), arr[-8:, 200:-10].mean(axis=(0, 1))
    assert np.abs(top - np.array(step_color(0))).max() < 12  # the screenshot itself
    assert bottom.max() < 60  # the dark caption band
    # the caption has light text in it
    assert (arr[-40:, :300] > 180).all(axis=2).sum() > 50


def test_subtitles_hold_each_thought_at_its_time(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [0.5, 1.0, 3.0], end=4.0)
    rec = render_run(run)
    vtt = rec.subtitles.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.500 --> 00:00:01.000\nStep 1: thinking about step 1 &lt;and&gt; more" in vtt
    assert "00:00:03.000 --> 00:00:04.000\nStep 3:" in vtt
    assert vtt.count(" --> ") == 3


def test_min_step_time_stretches_fast_runs(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [0.0, 0.1, 0.2], end=0.3)
    rec = render_run(run, min_step_s=1.0)
    times = [round(t, 2) for t, _ in iter_frames(rec.video)]
    assert times[:3] == [0.0, 1.0, 2.0]
    assert probe(rec.video).duration_s >= 3.0
    segments = json.loads(rec.timeline.read_text())["segments"]
    assert [s["start_s"] for s in segments] == [0.0, 1.0, 2.0]


def test_a_run_without_steps_has_no_video(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", [], end=1.0)
    with pytest.raises(ConfigError, match="no frames"):
        render_run(run)


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def _peak_rss_while(fn: object) -> float:
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.01)

    t = threading.Thread(target=sample)
    t.start()
    try:
        fn()  # type: ignore[operator]
    finally:
        done.set()
        t.join()
    return peak[0]


@pytest.mark.slow
def test_memory_stays_flat_as_runs_get_longer(tmp_path: Path) -> None:
    short = write_run(tmp_path / "short", [0.5 * i for i in range(20)], end=10.5)
    long = write_run(tmp_path / "long", [0.5 * i for i in range(200)], end=100.5)
    render_run(short)  # warm up: codecs, fonts
    peak_short = _peak_rss_while(lambda: render_run(short))
    peak_long = _peak_rss_while(lambda: render_run(long))
    # 180 more 640x400 frames held in memory would add over 130 MB
    assert peak_long - peak_short < 25, (peak_short, peak_long)
    assert probe(long / "video.mp4").frames == 201


def test_cli_records_a_video_of_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    task = 'type "alice" into Username, type "wonderland" into Password and click Sign in'
    code = main(
        ["run", "--policy", "offline", "--env", "fake", "--out", str(tmp_path), "--record-video", task]
    )
    assert code == 0
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    steps = sum(1 for ln in (run_dir / "events.jsonl").read_text().splitlines() if '"type": "step"' in ln)
    info = probe(run_dir / "video.mp4")
    assert info.frames == steps + 1
    assert (run_dir / "video.vtt").read_text().count(" --> ") == steps
    assert "video: " in capsys.readouterr().err
    # the video verb renders it again, here with every step shown for at least a second
    assert main(["video", str(run_dir), "--min-step-s", "1", "--quiet"]) == 0
    assert probe(run_dir / "video.mp4").duration_s >= steps
