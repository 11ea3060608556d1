"""Choosing the OCR engine: the bundled PP-OCR model, Tesseract, or either by script.

``auto`` reads with the bundled PP-OCR model (fast, no system packages) when it can read
every letter of the text the run looks for, and with Tesseract and the language packs of
that text's scripts when it cannot (Cyrillic, Arabic, Hebrew, Devanagari, Thai, Hangul,
Vietnamese...). The text is the task's: a policy calls :meth:`AutoOcr.select_for` when a
new task starts.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Literal

import numpy as np
from PIL import Image

from screenpilot.tools.perception.ocr import (
    OcrConfig,
    OcrEngine,
    TextBox,
    TextReader,
    bundled_charset,
    bundled_covers,
)
from screenpilot.tools.perception.scripts import tesseract_langs
from screenpilot.tools.perception.tesseract import TesseractConfig, TesseractEngine, installed_languages

OcrEngineName = Literal["rapidocr", "tesseract", "auto"]


class AutoOcr:
    """A :class:`~tools.perception.ocr.TextReader` that switches engine by the task's script.

    Args:
        rapid: The PP-OCR engine (shared; made lazily when ``None``).
        tesseract: Tesseract options; ``lang`` is replaced by the packs the text needs.
    """

    def __init__(self, rapid: OcrEngine | None = None, tesseract: TesseractConfig | None = None) -> None:
        self._rapid = rapid
        self._tess_config = tesseract or TesseractConfig()
        self._tesseract: dict[str, TesseractEngine] = {}
        self._current: TextReader | None = None
        self.chosen = "rapidocr"
        self._lock = threading.Lock()

    def select_for(self, text: str) -> bool:
        """Pick the engine for ``text``; returns whether the choice changed."""
        with self._lock:
            before = self.chosen
            if bundled_covers(text):
                self.chosen = "rapidocr"
                self._current = self._rapid_engine()
            else:
                charset = bundled_charset()
                unread = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch not in charset)
                langs = tesseract_langs(unread, installed_languages(self._tess_config.binary))
                self.chosen = f"tesseract:{langs}"
                if langs not in self._tesseract:
                    self._tesseract[langs] = TesseractEngine(
                        self._tess_config.model_copy(update={"lang": langs}), detector=self._rapid_engine()
                    )
                self._current = self._tesseract[langs]
            return self.chosen != before

    def read(self, image: Image.Image | np.ndarray, *, offset: tuple[int, int] = (0, 0)) -> list[TextBox]:
        """Read with the engine chosen last (PP-OCR before any choice)."""
        reader = self._current or self._rapid_engine()
        return reader.read(image, offset=offset)

    def _rapid_engine(self) -> OcrEngine:
        if self._rapid is None:
            self._rapid = OcrEngine()
        return self._rapid


def make_reader(
    engine: OcrEngineName, *, rapid_config: OcrConfig | None = None, tesseract: TesseractConfig | None = None
) -> TextReader:
    """The reader for an engine name (``auto`` gives an :class:`AutoOcr`)."""
    if engine == "rapidocr":
        return OcrEngine(rapid_config)
    if engine == "tesseract":
        return TesseractEngine(tesseract, detector=OcrEngine(rapid_config))
    return AutoOcr(OcrEngine(rapid_config) if rapid_config is not None else None, tesseract)
