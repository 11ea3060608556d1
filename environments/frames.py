"""Continuous frames from an environment, between and during steps (for run videos).

An environment that can film its screen implements :class:`FrameStream`; whoever records
the run passes a :class:`FrameSink` (a video file, a test's list) and stops the stream when
the run ends.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PIL import Image
from pydantic import BaseModel, ConfigDict


class FrameSink(Protocol):
    """Receives frames in order; ``t`` is the wall-clock time of the grab (``time.time()``)."""

    def add(self, image: Image.Image, t: float) -> object: ...


class CaptureStats(BaseModel):
    """What a finished capture did.

    Attributes:
        fps: The rate asked for.
        grabbed: Frames taken from the screen.
        written: Frames the sink received.
        dropped: Frames thrown away because the sink fell behind (the queue was full).
        late_ticks: Ticks skipped because a grab itself took longer than the interval.
        grab_ms: Mean time of one grab (screen to RGB image), in the capture thread.
        sink_ms: Mean time the sink took per frame (encoding), in the writer thread.
        seconds: How long the capture ran.
    """

    model_config = ConfigDict(frozen=True)

    fps: float
    grabbed: int = 0
    written: int = 0
    dropped: int = 0
    late_ticks: int = 0
    grab_ms: float = 0.0
    sink_ms: float = 0.0
    seconds: float = 0.0


class CaptureHandle(Protocol):
    """A running capture; ``stop()`` waits for the queue to drain and returns the counts."""

    def stop(self) -> CaptureStats: ...


@runtime_checkable
class FrameStream(Protocol):
    """An environment that can film its screen at a steady rate in the background."""

    def start_capture(self, sink: FrameSink, *, fps: float, queue_size: int = 8) -> CaptureHandle: ...
