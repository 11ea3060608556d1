"""OCR with Tesseract (Debian's ``tesseract-ocr`` and its language packs), for the scripts
the bundled PP-OCR model does not read: Cyrillic, Arabic, Hebrew, Devanagari, Bengali,
Thai, Hangul, Vietnamese and more.

Tesseract's own page layout analysis takes button borders for letters and loses short
words on screens, so by default the bundled PP-OCR *detector* (it finds text of any script)
says where the lines are and Tesseract only recognises them: every line is cut out,
enlarged (screen text is smaller than Tesseract's training text), stacked into one tall
image with white gaps, and read in one Tesseract call; words are given back to the line
whose band holds them; a line read with low confidence is read again on its own. Without
rapidocr, Tesseract's sparse-text mode reads the whole image instead.

Boxes come back in image pixels like :class:`~tools.perception.ocr.OcrEngine`'s.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import unicodedata
from functools import cache
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageOps
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.ocr import OcrEngine, TextBox, to_array
from screenpilot.tools.perception.scripts import joins_without_spaces
from screenpilot.tools.points import Box, CoordSpace

_PAD = 6
_GAP = 24
_RETRY_BELOW = 0.6


class TesseractConfig(BaseModel):
    """Options of the Tesseract engine.

    Attributes:
        lang: Language packs, ``+``-joined as Tesseract takes them (``jpn+kor+ara``).
        detector: ``ppocr`` (the bundled PP-OCR detector finds lines, Tesseract reads them)
            or ``tesseract`` (Tesseract's sparse-text layout analysis does both).
        scale: Enlargement before reading.
        min_confidence: Lines whose mean word confidence (0..1) is below this are dropped.
        timeout_s: Limit for one Tesseract call.
        binary: The ``tesseract`` executable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: str = Field(default="eng", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
    detector: Literal["ppocr", "tesseract"] = "ppocr"
    scale: float = Field(default=3.0, ge=1.0, le=6.0)
    min_confidence: float = Field(default=0.3, ge=0.0, le=1.0)
    timeout_s: float = Field(default=60.0, gt=0.0)
    binary: str = "tesseract"


@cache
def installed_languages(binary: str = "tesseract") -> frozenset[str]:
    """The language packs Tesseract has (``tesseract --list-langs``); empty when it is missing."""
    path = shutil.which(binary)
    if path is None:
        return frozenset()
    out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return frozenset(ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip())


def _pytesseract(config: TesseractConfig) -> Any:
    try:
        import pytesseract
    except ModuleNotFoundError as e:
        raise ConfigError(
            "Tesseract OCR needs the 'tesseract' extra: pip install 'screenpilot[tesseract]'"
        ) from e
    if shutil.which(config.binary) is None:
        raise ConfigError(
            f"the {config.binary!r} program is not installed "
            "(Debian: apt-get install tesseract-ocr tesseract-ocr-<lang>)"
        )
    missing = [lang for lang in config.lang.split("+") if lang not in installed_languages(config.binary)]
    if missing:
        packs = " ".join("tesseract-ocr-" + m.replace("_", "-").lower() for m in missing)
        raise ConfigError(
            f"Tesseract has no language pack for {', '.join(missing)} (apt-get install {packs})"
        )
    pytesseract.pytesseract.tesseract_cmd = config.binary
    return pytesseract


class TesseractEngine:
    """Reads text lines with Tesseract; the same ``read`` as :class:`~tools.perception.ocr.OcrEngine`.

    Args:
        config: Engine options.
        detector: The PP-OCR engine whose detector finds the lines (shared; made lazily).
    """

    def __init__(self, config: TesseractConfig | None = None, *, detector: OcrEngine | None = None) -> None:
        self.config = config or TesseractConfig()
        self._detector = detector
        self._lib: Any = None
        self._lock = threading.Lock()
        self.calls = 0

    @property
    def name(self) -> str:
        return f"tesseract:{self.config.lang}"

    def _load(self) -> Any:
        with self._lock:
            if self._lib is None:
                self._lib = _pytesseract(self.config)
                if self.config.detector == "ppocr" and self._detector is None:
                    self._detector = OcrEngine()
            return self._lib

    def read(self, image: Image.Image | np.ndarray, *, offset: tuple[int, int] = (0, 0)) -> list[TextBox]:
        """Detect and recognise every text line of ``image`` (boxes in its pixels plus ``offset``)."""
        arr = to_array(image)
        if arr.shape[0] < 8 or arr.shape[1] < 8:
            return []
        lib = self._load()
        self.calls += 1
        grey = _dark_on_light(Image.fromarray(arr).convert("L"))
        if self._detector is None:
            data = self._data(lib, _enlarge(grey, self.config.scale), psm=11)
            lines = _sparse_lines(data, self.config.scale)
        else:
            lines = self._read_boxes(lib, grey, self._detector.detect(arr))
        ox, oy = offset
        return [
            ln.model_copy(update={"box": ln.box.shifted(ox, oy)})
            for ln in lines
            if ln.score >= self.config.min_confidence
        ]

    def _data(self, lib: Any, image: Image.Image, *, psm: int) -> dict[str, list[Any]]:
        return dict(
            lib.image_to_data(
                image,
                lang=self.config.lang,
                config=f"--psm {psm}",
                output_type=lib.Output.DICT,
                timeout=self.config.timeout_s,
            )
        )

    def _read_boxes(self, lib: Any, grey: Image.Image, boxes: list[Box]) -> list[TextBox]:
        if not boxes:
            return []
        s = self.config.scale
        crops = []
        for b in boxes:
            crop = grey.crop((int(b.x0) - _PAD, int(b.y0) - _PAD, int(b.x1) + _PAD, int(b.y1) + _PAD))
            crops.append(_enlarge(crop, s))
        width = max(c.width for c in crops) + 2 * _GAP
        sheet = Image.new("L", (width, sum(c.height + _GAP for c in crops) + _GAP), 255)
        bands: list[tuple[int, int]] = []
        y = _GAP
        for c in crops:
            sheet.paste(c, (_GAP, y))
            bands.append((y, y + c.height))
            y += c.height + _GAP
        data = self._data(lib, sheet, psm=6)
        words: list[list[int]] = [[] for _ in boxes]
        for i in _word_indices(data):
            mid = data["top"][i] + data["height"][i] / 2
            for k, (top, bottom) in enumerate(bands):
                if top <= mid <= bottom:
                    words[k].append(i)
                    break
        out = []
        for box, crop, idx in zip(boxes, crops, words, strict=True):
            line = _line(data, idx, box) if idx else None
            if line is None or line.score < _RETRY_BELOW:
                # a doubtful line gets a read of its own, as one text line (mode 7)
                alone = self._data(lib, ImageOps.expand(crop, border=_GAP, fill=255), psm=7)
                kept = _word_indices(alone)
                retry = _line(alone, kept, box) if kept else None
                if retry is not None and (line is None or retry.score > line.score):
                    line = retry
            if line is not None:
                out.append(line)
        return out


def _dark_on_light(grey: Image.Image) -> Image.Image:
    """Tesseract's models expect dark text on a light ground: invert dark themes."""
    return ImageOps.invert(grey) if float(np.asarray(grey).mean()) < 110 else grey


def _enlarge(image: Image.Image, scale: float) -> Image.Image:
    if scale == 1.0:
        return image
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)


def _word_indices(data: dict[str, list[Any]]) -> list[int]:
    """Words with text and a confidence. Lone symbols ("|", "]") are button borders; lone
    combining marks (Thai tone marks Tesseract splits off) are kept."""
    return [
        i
        for i, text in enumerate(data["text"])
        if float(data["conf"][i]) >= 0 and any(unicodedata.category(ch)[0] in "LMN" for ch in str(text))
    ]


def _join(words: list[str]) -> str:
    return (
        "" if all(joins_without_spaces(w) or not any(c.isalpha() for c in w) for w in words) else " "
    ).join(words)


def _line(data: dict[str, list[Any]], idx: list[int], box: Box) -> TextBox:
    text = _join([str(data["text"][i]).strip() for i in idx])
    score = sum(float(data["conf"][i]) for i in idx) / (100.0 * len(idx))
    return TextBox(text=text, score=score, box=box)


def _sparse_lines(data: dict[str, list[Any]], scale: float) -> list[TextBox]:
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i in _word_indices(data):
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        groups.setdefault(key, []).append(i)
    out = []
    for idx in groups.values():
        box = Box(
            x0=min(data["left"][i] for i in idx) / scale,
            y0=min(data["top"][i] for i in idx) / scale,
            x1=max(data["left"][i] + data["width"][i] for i in idx) / scale,
            y1=max(data["top"][i] + data["height"][i] for i in idx) / scale,
            space=CoordSpace.IMAGE,
        )
        out.append(_line(data, idx, box))
    return sorted(out, key=lambda ln: (round(ln.box.y0 / 8), ln.box.x0))
