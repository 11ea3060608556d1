"""Text lines of a screen without elements, for the planner's listing (optional OCR)."""

from __future__ import annotations

import threading

from PIL import Image

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.fingerprint import LastScreen


class OcrLines:
    """Reads a screenshot's text lines with the embedded OCR, loaded on first use.

    A screen pixel-identical to the last one gets the last lines without OCR. Without the
    ``ocr`` extra it reads nothing (the listing then says so) instead of
    failing the run: a planner can still work from the task and, with ``vision``, the image.
    """

    def __init__(self) -> None:
        self._engine: object | None = None
        self._missing = False
        self._lock = threading.Lock()
        self._last: LastScreen[list[str]] = LastScreen()

    def __call__(self, image: Image.Image) -> list[str]:
        with self._lock:
            if self._missing:
                return []
            try:
                from screenpilot.tools.perception.ocr import OcrEngine

                if self._engine is None:
                    self._engine = OcrEngine()
                engine = self._engine
                assert isinstance(engine, OcrEngine)
                return list(self._last.read(image, lambda img: [line.text for line in engine.read(img)]))
            except (ModuleNotFoundError, ConfigError):
                self._missing = True
                return []
