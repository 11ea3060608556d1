"""How Qwen3-VL takes a video: frame rate, frame and pixel budgets, timestamps.

Qwen's reference preprocessing (``qwen-vl-utils`` ``vision_process.py``) samples a video
at 2 frames a second by default, at least 4 frames, an even number of them (two frames
make one temporal patch), and sizes every frame with ``smart_resize`` (factor 32 for
Qwen3-VL) between 128 and 768 visual tokens, less when the whole clip would exceed the
total pixel budget. The Qwen3-VL processor then writes a timestamp, ``<3.0 seconds>``,
before each temporal patch, computed from each frame's index and the video's frame rate;
the model answers with times in seconds on that axis.

So the client samples frames on a uniform grid that starts at second 0 and encodes them
as a constant-rate video at the sampling rate: frame ``k`` sits at ``k / fps`` seconds of
the source, the server's timestamps are the source's times, and the model's answer maps
straight back to them.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import Size
from screenpilot.model.imaging import smart_resize
from screenpilot.tools.errors import ConfigError

FACTOR = 32
"""Pixels per visual-token side: patch 16 x spatial merge 2."""
FRAME_FACTOR = 2
"""Frames per temporal patch; frame counts are multiples of it."""


class VideoBudget(BaseModel):
    """How much of a video the model sees.

    Attributes:
        fps: Frames per second to sample (Qwen's default is 2).
        min_frames: Fewest frames, however short the video.
        max_frames: Most frames; long videos are sampled more sparsely.
        min_tokens: Fewest visual tokens per frame.
        max_tokens: Most visual tokens per frame.
        total_tokens: Visual tokens for the whole clip; frames shrink to fit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    fps: float = Field(default=2.0, gt=0.0, le=30.0)
    min_frames: int = Field(default=4, ge=FRAME_FACTOR)
    max_frames: int = Field(default=64, ge=FRAME_FACTOR, le=768)
    min_tokens: int = Field(default=128, ge=4)
    max_tokens: int = Field(default=768, ge=4)
    total_tokens: int = Field(default=24_576, ge=64)


class SamplingPlan(BaseModel):
    """Which instants of the source to show the model, and at what size.

    Attributes:
        times: Seconds of the source, ``k / fps`` for ``k = 0..n-1``.
        fps: The sampling rate, also the frame rate of the clip sent.
        size: Every frame's size after ``smart_resize``.
        source_duration_s: Length of the source.
    """

    model_config = ConfigDict(frozen=True)

    times: tuple[float, ...]
    fps: float
    size: Size
    source_duration_s: float

    @property
    def frames(self) -> int:
        return len(self.times)


def _even_down(n: float) -> int:
    return max(FRAME_FACTOR, int(n) // FRAME_FACTOR * FRAME_FACTOR)


def plan_sampling(
    duration_s: float, width: int, height: int, budget: VideoBudget | None = None
) -> SamplingPlan:
    """Frame times and frame size for a ``duration_s`` video of ``width`` x ``height``.

    Raises:
        ConfigError: For an empty video.
    """
    b = budget or VideoBudget()
    if duration_s <= 0 or width <= 0 or height <= 0:
        raise ConfigError("the video is empty: nothing to ask about")
    wanted = duration_s * b.fps
    n = _even_down(min(max(wanted, b.min_frames), b.max_frames))
    # unless fps fits exactly, the grid is stretched to span the whole video
    fps = b.fps if math.isclose(n, wanted) else n / duration_s
    per_frame = min(b.max_tokens, b.total_tokens * FRAME_FACTOR // n)
    max_pixels = max(per_frame, b.min_tokens) * FACTOR * FACTOR
    size = smart_resize(
        width, height, factor=FACTOR, min_pixels=b.min_tokens * FACTOR * FACTOR, max_pixels=max_pixels
    )
    times = tuple(round(k / fps, 3) for k in range(n))
    return SamplingPlan(times=times, fps=round(fps, 6), size=size, source_duration_s=duration_s)


def video_prompt(question: str, plan: SamplingPlan) -> str:
    """The user text that goes with the clip."""
    return (
        f"The video records a computer-use agent's screen; {plan.frames} frames sampled at "
        f"{plan.fps:.3g} frames per second from a {plan.source_duration_s:.1f}-second run, frame k at "
        f"k/{plan.fps:.3g} seconds. Captions at the bottom give the step number and action. "
        f"Answer the question and give every time you mention in seconds from the start, "
        f"written like <12.5 seconds>.\n\nQuestion: {question}"
    )


_SECONDS = re.compile(r"<?\s*(\d+(?:\.\d+)?)\s*(?:seconds?|secs?|s)\b\s*>?", re.IGNORECASE)
_CLOCK = re.compile(r"\b(\d{1,2}):([0-5]\d(?:\.\d+)?)\b")


def parse_times(answer: str) -> list[float]:
    """Every time the answer mentions, in seconds, in order of appearance (duplicates kept
    once): ``<12.5 seconds>``, ``12.5 s``, ``3 sec``, ``1:05``."""
    found: list[tuple[int, float]] = []
    for m in _SECONDS.finditer(answer):
        found.append((m.start(), float(m.group(1))))
    for m in _CLOCK.finditer(answer):
        found.append((m.start(), int(m.group(1)) * 60 + float(m.group(2))))
    out: list[float] = []
    for _, t in sorted(found):
        if math.isfinite(t) and t not in out:
            out.append(t)
    return out
