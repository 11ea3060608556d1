"""Frames for a question: a run or a video sampled on the grid Qwen3-VL expects.

A run directory is sampled from its step screenshots on the run's own timeline (with the
same captions as its video); a video file is decoded once, front to back, keeping only the
frames on the grid. Either way at most ``plan.frames`` small frames are held.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report.discover import is_run_dir
from screenpilot.app.report.steps import step_view
from screenpilot.app.video.captions import burn_in
from screenpilot.app.video.render import VIDEO_FILE
from screenpilot.app.video.timeline import SIDE_CAR, Timeline, build_timeline
from screenpilot.model.qwen.video_input import SamplingPlan, VideoBudget, plan_sampling
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.video.reader import iter_frames, probe
from screenpilot.tools.video.writer import VideoConfig, VideoWriter


class Clip(BaseModel):
    """What is sent: the plan, the encoded clip and the timeline to map answers back.

    Attributes:
        plan: Frame times and size.
        mp4: The clip, ``plan.frames`` frames at ``plan.fps``.
        timeline: Source time to step (``None`` for a video without its ``video.json``).
        source: The file or run the frames came from.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    plan: SamplingPlan
    mp4: bytes = Field(repr=False)
    timeline: Timeline | None
    source: Path


Lazy = Callable[[], Image.Image]


def _on_grid(frames: Iterator[tuple[float, Lazy]], times: tuple[float, ...]) -> Iterator[Image.Image]:
    """The frame showing at each grid time: the last frame that started at or before it.

    Frames come as loaders; only those on the grid are loaded (a long run sampled sparsely
    decodes a few screenshots, not all of them).
    """
    it = iter(frames)
    current: Lazy | None = None
    loaded: tuple[Lazy, Image.Image] | None = None  # a step spanning many grid points loads once
    upcoming = next(it, None)
    for t in times:
        while upcoming is not None and upcoming[0] <= t + 1e-6:
            current = upcoming[1]
            upcoming = next(it, None)
        if current is None and upcoming is not None:
            current = upcoming[1]  # a grid point before the first frame shows the first frame
        if current is not None:
            if loaded is None or loaded[0] is not current:
                loaded = (current, current())
            yield loaded[1]


def _run_frames(run_dir: Path, timeline: Timeline) -> Iterator[tuple[float, Lazy]]:
    traj = load_run(run_dir)
    total = len(traj.steps)
    events = {int(e.get("index", i)): e for i, e in enumerate(traj.steps)}
    for seg in timeline.segments:
        event = events.get(seg.step, {})
        path = run_dir / "shots" / f"{event.get('screenshot')}.png"
        if path.is_file():
            yield seg.start_s, functools.partial(_captioned, path, event, total)


def _captioned(path: Path, event: dict[str, Any], total: int) -> Image.Image:
    with Image.open(path) as img:
        frame = img.convert("RGB")
    return burn_in(frame, step_view(event, frame.size), total=total)


def _decoded(frames: Iterator[tuple[float, Image.Image]]) -> Iterator[tuple[float, Lazy]]:
    """Frames a video decoder already produced, as loaders."""
    for t, image in frames:
        yield t, functools.partial(_same, image)


def _same(image: Image.Image) -> Image.Image:
    return image


def _encode(frames: Iterator[Image.Image], plan: SamplingPlan) -> bytes:
    size = (plan.size.width, plan.size.height)
    config = VideoConfig(crf=23, preset="veryfast", max_side=max(size), keyframe_s=1.0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        writer = VideoWriter(path, size, config, fps=plan.fps)
        count = 0
        for k, frame in enumerate(frames):
            writer.add(frame.resize(size, Image.Resampling.BICUBIC), k / plan.fps)
            count += 1
        writer.close((count - 1) / plan.fps)  # constant rate: each frame already has its duration
        if count != plan.frames:
            raise ConfigError(f"the source gave {count} of the {plan.frames} frames planned")
        return path.read_bytes()


def clip_for(source: Path, budget: VideoBudget | None = None) -> Clip:
    """Sample ``source`` (a run directory or a video file) into a clip for the model.

    A run directory with a rendered ``video.mp4`` is sampled from the video (it may hold
    continuous capture); otherwise from its screenshots.

    Raises:
        ConfigError: When the source cannot be read or is empty.
    """
    if source.is_dir():
        if not is_run_dir(source):
            raise ConfigError(f"{source} is not a run directory")
        if not (source / VIDEO_FILE).is_file():
            timeline = build_timeline(load_run(source))
            first = next(_run_frames(source, timeline), None)
            if first is None:
                raise ConfigError(f"{source} has no screenshots to ask about")
            plan = plan_sampling(timeline.duration_s, *first[1]().size, budget)
            mp4 = _encode(_on_grid(_run_frames(source, timeline), plan.times), plan)
            return Clip(plan=plan, mp4=mp4, timeline=timeline, source=source)
        source = source / VIDEO_FILE
    info = probe(source)
    side = source.with_name(SIDE_CAR)
    known = Timeline.read(side) if side.is_file() else None
    plan = plan_sampling(info.duration_s, info.width, info.height, budget)
    mp4 = _encode(_on_grid(_decoded(iter_frames(source)), plan.times), plan)
    return Clip(plan=plan, mp4=mp4, timeline=known, source=source)
