"""Continuous capture on a real X server: steady rate, bounded queue, drops counted, and
the capture becoming the run's video."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.app.cli.main import main
from screenpilot.environments.desktop import DesktopEnvironment
from screenpilot.environments.desktop.continuous import ContinuousCapture
from screenpilot.environments.frames import FrameStream
from screenpilot.tools.video.reader import probe

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


class ListSink:
    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.frames: list[tuple[tuple[int, int], float]] = []

    def add(self, image: Image.Image, t: float) -> None:
        time.sleep(self.delay_s)
        self.frames.append((image.size, t))


def test_capture_takes_frames_at_the_asked_rate(desktop: DesktopEnvironment) -> None:
    assert isinstance(desktop, FrameStream)
    sink = ListSink()
    handle = desktop.start_capture(sink, fps=10)
    time.sleep(1.5)
    stats = handle.stop()
    assert stats.written == len(sink.frames) == stats.grabbed - stats.dropped
    assert 8 <= stats.grabbed + stats.late_ticks <= 17
    assert {size for size, _ in sink.frames} == {(1280, 800)}
    times = [t for _, t in sink.frames]
    assert times == sorted(times)
    assert stats.grab_ms > 0


def test_a_slow_sink_makes_drops_not_a_backlog() -> None:
    frame = Image.new("RGB", (64, 48))
    closed: list[bool] = []
    sink = ListSink(delay_s=0.1)
    capture = ContinuousCapture(
        lambda: (lambda: frame, lambda: closed.append(True)), sink, fps=50, queue_size=2
    )
    capture.start()
    time.sleep(1.0)
    stats = capture.stop()
    assert stats.grabbed == stats.written + stats.dropped
    assert stats.dropped >= 10
    # what the sink could take in the time, plus the queue it drained at the end
    assert stats.written <= 1.2 / 0.1 + 2
    assert closed == [True]


def test_run_with_continuous_capture_films_between_steps(xvfb: str, tmp_path: Path) -> None:
    code = main(
        [
            "run", "--policy", "offline", "--env", "desktop", "-E", f"display={xvfb}",
            "-E", "abort_hotkey=none", "--out", str(tmp_path), "--record-video", "--capture-fps", "8",
            "--quiet", "wait 2 seconds",
        ]
    )  # fmt: skip
    assert code == 0
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    meta = json.loads((run_dir / "capture.json").read_text())
    assert meta["written"] >= 10 and meta["dropped"] >= 0
    steps = sum(1 for ln in (run_dir / "events.jsonl").read_text().splitlines() if '"type": "step"' in ln)
    video = probe(run_dir / "video.mp4")
    # many more frames than steps: the screen between steps is in the video
    assert video.frames >= 10 > steps
    assert video.duration_s >= 1.5
