"""An H.264 MP4 writer that takes frames one at a time, at their real times.

Frames carry their own time (seconds from the start of the video), so a run whose steps
took 0.3 s and 40 s plays back at that pace: the stream uses a millisecond time base and
variable frame durations, which MP4 and every browser support. Nothing but the frame being
encoded is held in memory.

Encoding goes through PyAV (FFmpeg's libraries, shipped inside its wheel with libx264).
``+faststart`` moves the index to the front so a browser starts playing before it has read
the whole file.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.errors import ConfigError

TIME_BASE = Fraction(1, 1000)
"""Frame times are whole milliseconds."""


class VideoConfig(BaseModel):
    """Encoder settings.

    Attributes:
        codec: FFmpeg encoder name; ``libx264`` (H.264) plays in every browser.
        crf: Constant rate factor (lower is better and bigger; 18 is near lossless).
        preset: x264 speed/size trade-off.
        max_side: Frames are scaled down so that their longer side is at most this.
        keyframe_s: At most this many seconds between key frames (seeking granularity).
        threads: Encoder threads (``0``: FFmpeg decides).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    codec: str = "libx264"
    crf: int = Field(default=30, ge=0, le=51)
    preset: str = "veryfast"
    max_side: int = Field(default=1280, ge=64, le=8192)
    keyframe_s: float = Field(default=10.0, gt=0.0)
    threads: int = Field(default=1, ge=0, le=64)


def fitted_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """``(width, height)`` scaled down to ``max_side`` and rounded to even numbers (yuv420p)."""
    scale = min(1.0, max_side / max(width, height))
    w = max(2, int(width * scale) // 2 * 2)
    h = max(2, int(height * scale) // 2 * 2)
    return w, h


def _open_av() -> Any:
    try:
        import av
    except ModuleNotFoundError as e:
        raise ConfigError("video needs the 'video' extra: pip install 'screenpilot[video]'") from e
    return av


class VideoWriter:
    """Writes an MP4 one frame at a time.

    Args:
        path: The ``.mp4`` file to write.
        size: Frame size in pixels ``(width, height)`` before fitting to ``config.max_side``.
        config: Encoder settings.
        fps: A constant frame rate: times are rounded to its frames. ``None``: millisecond
            times, each frame shown until the next.

    Raises:
        ConfigError: When PyAV is missing or has no such encoder.
    """

    def __init__(
        self,
        path: str | Path,
        size: tuple[int, int],
        config: VideoConfig | None = None,
        *,
        fps: float | None = None,
    ) -> None:
        av = _open_av()
        self.config = config or VideoConfig()
        self.path = Path(path)
        self.size = fitted_size(size[0], size[1], self.config.max_side)
        self.frames = 0
        self.last_tick = -1
        self._pending: tuple[Image.Image, int] | None = None
        self._av = av
        self._container = av.open(str(self.path), mode="w", options={"movflags": "+faststart"})
        # constant rate (a clip for a model, whose processor reads time off the frame
        # rate) or millisecond times (a run, at its real pace)
        self.time_base = 1 / Fraction(fps).limit_denominator(1000) if fps else TIME_BASE
        rate = Fraction(fps).limit_denominator(1000) if fps else 25
        try:
            self._stream = self._container.add_stream(self.config.codec, rate=rate)
        except (av.FFmpegError, ValueError) as e:  # pragma: no cover - depends on the wheel
            self._container.close()
            raise ConfigError(f"this PyAV build has no {self.config.codec!r} encoder: {e}") from e
        cc = self._stream.codec_context
        cc.width, cc.height = self.size
        cc.pix_fmt = "yuv420p"
        cc.time_base = self.time_base
        cc.thread_count = self.config.threads
        self._stream.time_base = self.time_base
        keyint = max(1, round(self.config.keyframe_s * float(rate)))
        cc.options = {
            "crf": str(self.config.crf),
            "preset": self.config.preset,
            # key frames by time, not count: a step video has few frames far apart. No
            # B-frames: with frames seconds apart their reordering corrupts the file duration.
            "x264-params": f"keyint={keyint}:min-keyint=1:bframes=0",
        }

    def add(self, image: Image.Image | np.ndarray, t: float) -> bool:
        """Append a frame shown from ``t`` seconds on; returns ``False`` when ``t`` does not fall
        later than the previous frame (in milliseconds, or frames at a constant rate): the
        frame is then dropped."""
        tick = round(t / self.time_base)
        if tick <= self.last_tick:
            return False
        img = image if isinstance(image, Image.Image) else Image.fromarray(image)
        if img.size != self.size or img.mode != "RGB":
            img = img.convert("RGB").resize(self.size, Image.Resampling.BILINEAR)
        self._encode(img, tick)
        self._pending = (img, tick)
        self.last_tick = tick
        return True

    def close(self, end_t: float | None = None) -> None:
        """Finish the file. ``end_t`` (seconds) is when the last frame stops being shown; by
        default it is shown for one more second (one more frame at a constant rate)."""
        if self._container is None:
            return
        if self._pending is not None:
            img, tick = self._pending
            end_tick = (
                round(end_t / self.time_base) if end_t is not None else tick + round(1 / self.time_base)
            )
            if end_tick > tick:
                # the last frame again, so that the file's duration covers its display time
                self._encode(img, end_tick)
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        self._container = None
        self._pending = None

    def _encode(self, img: Image.Image, tick: int) -> None:
        frame = self._av.VideoFrame.from_image(img)
        frame.pts = tick
        frame.time_base = self.time_base
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames += 1

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
