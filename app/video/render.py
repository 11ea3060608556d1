"""Rendering a run directory into ``video.mp4``, ``video.vtt`` and ``video.json``.

Frames come from the run's step screenshots at their real times, or, when the run was
recorded with continuous capture (``capture.mp4``, desktop), from every captured frame
with the step that was on screen at that moment captioned. Either way one frame is
decoded, captioned and encoded at a time, so memory does not grow with the run's length.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

from PIL import Image
from pydantic import BaseModel, ConfigDict

from screenpilot.agent.trajectory.reader import Trajectory, load_run
from screenpilot.app.report.steps import StepView, step_view
from screenpilot.app.video.captions import burn_in
from screenpilot.app.video.timeline import SIDE_CAR, Timeline, build_timeline
from screenpilot.app.video.vtt import webvtt
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.video.reader import iter_frames
from screenpilot.tools.video.writer import VideoConfig, VideoWriter

VIDEO_FILE = "video.mp4"
VTT_FILE = "video.vtt"
CAPTURE_FILE = "capture.mp4"
CAPTURE_META = "capture.json"
_BLANK = (1280, 800)


class VideoRecord(BaseModel):
    """What :func:`render_run` wrote.

    Attributes:
        video: The MP4 file.
        subtitles: The WebVTT file.
        timeline: The sidecar JSON mapping video time to steps.
        source: ``steps`` (step screenshots) or ``capture`` (continuous capture).
        frames: Frames encoded.
        duration_s: Length of the video.
        bytes: Size of the MP4 file.
        render_s: Wall time the rendering took.
    """

    model_config = ConfigDict(frozen=True)

    video: Path
    subtitles: Path
    timeline: Path
    source: str
    frames: int
    duration_s: float
    bytes: int
    render_s: float


class _Steps:
    """Step views built on demand (one per step, small: no pixels)."""

    def __init__(self, traj: Trajectory) -> None:
        self.events = {int(e.get("index", i)): e for i, e in enumerate(traj.steps)}
        self.total = len(self.events)
        self._views: dict[int, StepView] = {}

    def view(self, index: int | None, image_size: tuple[int, int] | None = None) -> StepView | None:
        if index is None or index not in self.events:
            return None
        if index not in self._views:
            self._views[index] = step_view(self.events[index], image_size)
        return self._views[index]


def _open_shot(run_dir: Path, digest: str | None) -> Image.Image | None:
    if not digest:
        return None
    path = run_dir / "shots" / f"{digest}.png"
    if not path.is_file():
        return None
    with Image.open(path) as img:
        return img.convert("RGB")


def _step_frames(run_dir: Path, timeline: Timeline, steps: _Steps) -> Iterator[tuple[float, Image.Image]]:
    previous: Image.Image | None = None
    for seg in timeline.segments:
        event = steps.events.get(seg.step, {})
        shot = _open_shot(run_dir, event.get("screenshot"))
        base = shot or previous or Image.new("RGB", _BLANK, (60, 60, 66))
        view = steps.view(seg.step, base.size)
        # the first screen stands from second 0: it is what the run started on
        yield (seg.start_s if previous is not None else 0.0), burn_in(base, view, total=steps.total)
        previous = base


def _capture_frames(run_dir: Path, timeline: Timeline, steps: _Steps) -> Iterator[tuple[float, Image.Image]]:
    meta = json.loads((run_dir / CAPTURE_META).read_text(encoding="utf-8"))
    shift = float(meta["epoch"]) - timeline.epoch
    for t, frame in iter_frames(run_dir / CAPTURE_FILE):
        rel = t + shift
        if rel < 0 or rel > timeline.duration_s:
            continue
        index = timeline.step_at(rel)
        view = steps.view(index)
        yield rel, burn_in(frame, view, total=steps.total, image_size=_shot_size(view))


def _shot_size(view: StepView | None) -> tuple[int, int] | None:
    return view.image_size if view is not None else None


def render_run(
    run_dir: str | Path, config: VideoConfig | None = None, *, min_step_s: float = 0.0
) -> VideoRecord:
    """Write ``video.mp4``, ``video.vtt`` and ``video.json`` into ``run_dir``.

    Args:
        run_dir: A recorded run.
        config: Encoder settings.
        min_step_s: Show each step at least this long (step screenshots only; continuous
            capture keeps the real timing). ``video.json`` records the times used.

    Raises:
        ConfigError: When ``run_dir`` is not a run directory or has no steps to show.
    """
    t0 = time.monotonic()
    try:
        traj = load_run(run_dir)
    except FileNotFoundError as e:
        raise ConfigError(str(e)) from None
    root = traj.run_dir
    captured = (root / CAPTURE_FILE).is_file() and (root / CAPTURE_META).is_file()
    timeline = build_timeline(traj, min_step_s=0.0 if captured else min_step_s)
    steps = _Steps(traj)
    frames = _capture_frames(root, timeline, steps) if captured else _step_frames(root, timeline, steps)
    writer: VideoWriter | None = None
    try:
        for t, image in frames:
            writer = writer or VideoWriter(root / VIDEO_FILE, image.size, config)
            writer.add(image, t)
    finally:
        if writer is not None:
            writer.close(timeline.duration_s)
    if writer is None:
        raise ConfigError(f"{root} has no frames to put in a video (no steps were recorded)")
    cues = [(seg, v) for seg in timeline.segments if (v := steps.view(seg.step)) is not None]
    (root / VTT_FILE).write_text(webvtt(cues), encoding="utf-8")
    timeline.write(root / SIDE_CAR)
    return VideoRecord(
        video=root / VIDEO_FILE,
        subtitles=root / VTT_FILE,
        timeline=root / SIDE_CAR,
        source="capture" if captured else "steps",
        frames=writer.frames,
        duration_s=timeline.duration_s,
        bytes=(root / VIDEO_FILE).stat().st_size,
        render_s=time.monotonic() - t0,
    )
