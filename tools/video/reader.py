"""Reading a video back one frame at a time (for ``ask``, re-rendering and tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image
from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.video.writer import _open_av


class VideoInfo(BaseModel):
    """What a video file holds.

    Attributes:
        duration_s: Length in seconds.
        frames: Number of frames (counted by decoding when the container does not say).
        width: Frame width in pixels.
        height: Frame height in pixels.
        codec: The stream's codec name (``h264``).
    """

    model_config = ConfigDict(frozen=True)

    duration_s: float
    frames: int
    width: int
    height: int
    codec: str


def probe(path: str | Path) -> VideoInfo:
    """Duration, frame count, size and codec of the first video stream of ``path``.

    Raises:
        ConfigError: When the file is missing or holds no video stream.
    """
    av = _open_av()
    try:
        container = av.open(str(path))
    except (FileNotFoundError, av.FFmpegError) as e:
        raise ConfigError(f"cannot read the video {path}: {e}") from e
    with container:
        if not container.streams.video:
            raise ConfigError(f"{path} holds no video stream")
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.decode(stream))
        duration = (
            float(container.duration) / 1_000_000
            if container.duration
            else float(stream.duration * stream.time_base)
        )
        return VideoInfo(
            duration_s=duration,
            frames=frames,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            codec=stream.codec_context.name,
        )


def iter_frames(path: str | Path) -> Iterator[tuple[float, Image.Image]]:
    """``(time_s, RGB image)`` for every frame of the first video stream, in order.

    Only the current frame is decoded and held; break out of the loop to stop early.
    """
    av = _open_av()
    try:
        container = av.open(str(path))
    except (FileNotFoundError, av.FFmpegError) as e:
        raise ConfigError(f"cannot read the video {path}: {e}") from e
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            t = float(frame.pts * frame.time_base) if frame.pts is not None else 0.0
            yield t, frame.to_image()
