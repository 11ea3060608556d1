"""``ask``: a question about a run or its video, answered with times mapped to steps."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from screenpilot.app.video.sample import clip_for
from screenpilot.model.backends.video_http import VideoChatBackend
from screenpilot.model.qwen.video_input import VideoBudget, parse_times, video_prompt
from screenpilot.model.types import Usage


class TimeRef(BaseModel):
    """A time the answer mentioned and the step on screen then (``None``: unknown or before
    the first step)."""

    model_config = ConfigDict(frozen=True)

    t: float
    step: int | None


class VideoAnswer(BaseModel):
    """The model's answer with its times resolved.

    Attributes:
        answer: The text as the model wrote it.
        times: Each time it mentioned, with the step index (0-based) on screen then.
        frames: Frames sent.
        fps: Their rate.
        size: Their size ``(width, height)``.
        source: What was sampled.
        usage: Tokens used.
    """

    model_config = ConfigDict(frozen=True)

    answer: str
    times: tuple[TimeRef, ...]
    frames: int
    fps: float
    size: tuple[int, int]
    source: Path
    usage: Usage = Usage()


def ask_video(
    source: Path, question: str, backend: VideoChatBackend, budget: VideoBudget | None = None
) -> VideoAnswer:
    """Sample ``source``, ask ``question`` and map the times of the answer to steps."""
    clip = clip_for(source, budget)
    done = backend.ask_video(clip.mp4, video_prompt(question, clip.plan), fps=clip.plan.fps)
    tl = clip.timeline
    times = tuple(
        # a time past the end names no step: the model misread the clip
        TimeRef(t=t, step=tl.step_at(t) if tl is not None and t <= tl.duration_s + 1.0 else None)
        for t in parse_times(done.text)
    )
    return VideoAnswer(
        answer=done.text,
        times=times,
        frames=clip.plan.frames,
        fps=clip.plan.fps,
        size=(clip.plan.size.width, clip.plan.size.height),
        source=clip.source,
        usage=done.usage,
    )
