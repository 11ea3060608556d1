"""Continuous capture written to ``capture.mp4`` in a run directory, with its start time.

The file is the raw material of the run's video: :func:`~app.video.render.render_run`
captions each of its frames with the step on screen at that moment. It is encoded with a
fast preset at high quality, since it is encoded again when rendered.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from screenpilot.app.video.render import CAPTURE_FILE, CAPTURE_META
from screenpilot.environments.frames import CaptureStats
from screenpilot.tools.video.writer import VideoConfig, VideoWriter

RAW_CONFIG = VideoConfig(crf=20, preset="ultrafast", keyframe_s=2.0)


class CaptureFile:
    """A :class:`~environments.frames.FrameSink` writing ``capture.mp4`` into ``run_dir``.

    Args:
        run_dir: The run's directory (created if needed).
        config: Encoder settings of the raw capture.
    """

    def __init__(self, run_dir: Path, config: VideoConfig = RAW_CONFIG) -> None:
        self.run_dir = run_dir
        self.config = config
        self.epoch: float | None = None
        self._writer: VideoWriter | None = None
        run_dir.mkdir(parents=True, exist_ok=True)

    def add(self, image: Image.Image, t: float) -> bool:
        """Encode one frame grabbed at wall-clock time ``t``."""
        if self._writer is None:
            self.epoch = t
            self._writer = VideoWriter(self.run_dir / CAPTURE_FILE, image.size, self.config)
        assert self.epoch is not None
        return self._writer.add(image, t - self.epoch)

    def close(self, stats: CaptureStats) -> None:
        """Finish the file and write ``capture.json`` (start time and the capture's counts)."""
        if self._writer is None:
            return
        self._writer.close()
        meta = {"epoch": self.epoch, **stats.model_dump()}
        (self.run_dir / CAPTURE_META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
