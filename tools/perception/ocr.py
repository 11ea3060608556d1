"""OCR with rapidocr and the PP-OCR ONNX models that ship inside its wheel.

The model files are resolved inside the installed ``rapidocr`` package and passed to it
as explicit paths, so rapidocr never takes its "download the default model" branch: this
works on a machine with no network. The Chinese PP-OCR recogniser reads Chinese and
English (and digits, punctuation) in one pass.

Boxes come back in :attr:`~tools.points.CoordSpace.IMAGE` space (pixels of the
screenshot); converting to screen space is the caller's job (``screenpilot.environments.geometry``).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.text_match import (
    COMPACT,
    best_substring_score,
    compact,
    has_rtl,
    is_mark,
    text_score,
)
from screenpilot.tools.points import Box, CoordSpace

log = logging.getLogger(__name__)

OcrLanguage = Literal["ch", "en"]

# Which wheel file serves which language. "ch" reads Chinese and English together.
_MODEL_FILES: dict[OcrLanguage, dict[str, str]] = {
    "ch": {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"},
    "en": {"det": "PP-OCRv6_det_small.onnx", "rec": "PP-OCRv6_rec_small.onnx"},
}


class OcrConfig(BaseModel):
    """Options of the OCR engine.

    Attributes:
        language: Recogniser language; ``ch`` reads Chinese and English.
        min_text_score: Recognition confidence below which a line is dropped.
        char_boxes: Ask the recogniser where each character is, so words and phrases
            inside a line get boxes of their own.
        threads: ONNX Runtime intra-op threads (``0``: let it choose).
        det_limit: Detection input is shrunk when its longer side exceeds this.
        model_dir: Directory with the ONNX files; default: the ``rapidocr`` wheel's own.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: OcrLanguage = "ch"
    min_text_score: float = Field(default=0.5, ge=0.0, le=1.0)
    char_boxes: bool = True
    threads: int = Field(default=0, ge=0, le=64)
    det_limit: int = Field(default=2000, ge=320, le=4096)
    model_dir: Path | None = None


class CharBox(BaseModel):
    """One character of a line and where it is (image pixels, like the line)."""

    model_config = ConfigDict(frozen=True)

    char: str
    box: Box


class TextBox(BaseModel):
    """One line of text found on an image.

    Attributes:
        text: What was read.
        score: Recognition confidence 0..1.
        box: Axis-aligned bounds in image pixels.
        chars: Where each character of ``text`` (spaces left out) is, when the recogniser
            said; words and phrases inside the line are cut out of it exactly.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    score: float
    box: Box
    chars: tuple[CharBox, ...] = ()

    def words(self) -> list[tuple[str, Box]]:
        """The line's words (CJK runs count as words) with their boxes; ``[]`` without character boxes."""
        out: list[tuple[str, Box]] = []
        i = 0
        for word in self.text.split():
            n = len(word)
            part = self.chars[i : i + n]
            if len(part) != n:
                return []
            out.append((word, _union([c.box for c in part])))
            i += n
        return out

    def span(self, start: int, length: int) -> Box | None:
        """The box of ``length`` characters from ``start`` (counting without spaces)."""
        part = self.chars[start : start + length]
        if not part or len(part) != length:
            return None
        return _union([c.box for c in part])


def _union(boxes: list[Box]) -> Box:
    return Box(
        x0=min(b.x0 for b in boxes),
        y0=min(b.y0 for b in boxes),
        x1=max(b.x1 for b in boxes),
        y1=max(b.y1 for b in boxes),
        space=boxes[0].space,
    )


def bundled_model_dir() -> Path:
    """The directory inside the installed ``rapidocr`` wheel that holds its ONNX models.

    Raises:
        ConfigError: When rapidocr is not installed or its wheel carries no models.
    """
    try:
        root = Path(str(resources.files("rapidocr"))) / "models"
    except ModuleNotFoundError as e:
        raise ConfigError("OCR needs the 'ocr' extra: pip install 'screenpilot[ocr]'") from e
    if not root.is_dir():
        raise ConfigError(f"the rapidocr wheel has no models directory at {root}")
    return root


def model_paths(config: OcrConfig) -> dict[str, Path]:
    """The detection and recognition model files for ``config`` (checked to exist)."""
    root = config.model_dir or bundled_model_dir()
    paths = {task: root / name for task, name in _MODEL_FILES[config.language].items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ConfigError(f"OCR model files not found: {', '.join(missing)}")
    return paths


def _engine_params(config: OcrConfig) -> dict[str, Any]:
    paths = model_paths(config)
    threads = config.threads or -1
    return {
        "Global.log_level": "error",
        # UI text is upright: the angle classifier only costs time.
        "Global.use_cls": False,
        "Global.text_score": config.min_text_score,
        "Global.max_side_len": max(config.det_limit, 2000),
        "Det.model_path": str(paths["det"]),
        "Rec.model_path": str(paths["rec"]),
        # "max" keeps crops and screenshots at their own resolution; the default "min"
        # would blow a 40-pixel strip up to 736 pixels high.
        "Det.limit_type": "max",
        "Det.limit_side_len": config.det_limit,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


def to_array(image: Image.Image | np.ndarray) -> np.ndarray:
    """An RGB ``uint8`` array of ``image`` (PIL or already an array)."""
    if isinstance(image, np.ndarray):
        return image
    return np.asarray(image.convert("RGB"))


class OcrEngine:
    """Reads text lines from images. Loading is lazy; one engine is safe to share.

    Args:
        config: Engine options.
    """

    def __init__(self, config: OcrConfig | None = None) -> None:
        self.config = config or OcrConfig()
        self._engine: Any = None
        self._lock = threading.Lock()
        self.calls = 0
        self.lines_recognized = 0

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                try:
                    from rapidocr import RapidOCR
                except ModuleNotFoundError as e:
                    raise ConfigError("OCR needs the 'ocr' extra: pip install 'screenpilot[ocr]'") from e
                log.info("loading the OCR models (PP-OCR, from the rapidocr wheel): a few seconds")
                self._engine = RapidOCR(params=_engine_params(self.config))
            return self._engine

    def read(self, image: Image.Image | np.ndarray, *, offset: tuple[int, int] = (0, 0)) -> list[TextBox]:
        """Detect and recognise every text line of ``image``.

        Args:
            image: An RGB image (PIL or array).
            offset: Added to every box, for crops of a larger image.

        Returns:
            Text lines in reading order, boxes in image pixels of the full image.
        """
        arr = to_array(image)
        if arr.shape[0] < 8 or arr.shape[1] < 8:
            return []
        engine = self._load()
        self.calls += 1
        # explicit flags: a detect-only call must not leave the engine detecting only
        result = engine(
            arr, use_det=True, use_cls=False, use_rec=True, return_word_box=self.config.char_boxes
        )
        if result.boxes is None or result.txts is None:
            return []
        self.lines_recognized += len(result.txts)
        words = getattr(result, "word_results", ()) or ()
        per_line = words if len(words) == len(result.txts) else [()] * len(result.txts)
        out = []
        for quad, text, score, chars in zip(result.boxes, result.txts, result.scores, per_line, strict=True):
            if not text.strip() or score < self.config.min_text_score:
                continue
            out.append(
                TextBox(
                    text=str(text),
                    score=float(score),
                    box=_quad_box(quad, offset),
                    chars=_chars(chars, text, offset),
                )
            )
        return out

    def recognize(self, crops: list[np.ndarray], offsets: list[tuple[int, int]]) -> list[TextBox | None]:
        """Read line crops with the recogniser alone (no detection): one answer per crop.

        Each crop is taken as one text line, the way the full pipeline feeds the recogniser
        the crops its detector found. ``offsets`` place the crops in the full image; a line
        gets its crop's box. ``None`` where nothing readable (or too unsure) was found.
        """
        if not crops:
            return []
        engine = self._load()
        self.lines_recognized += len(crops)
        try:
            from rapidocr.ch_ppocr_rec import TextRecInput

            recognizer = engine._load_rec_model()
        except (ImportError, AttributeError):  # a rapidocr without these 3.x internals
            return [self._read_one(crop, offset) for crop, offset in zip(crops, offsets, strict=True)]
        res = recognizer(TextRecInput(img=list(crops), return_word_box=self.config.char_boxes))
        words: list[Any] = [()] * len(crops)
        if self.config.char_boxes and res.word_results and all(res.word_results):
            quads = np.array(
                [
                    [
                        [ox, oy],
                        [ox + c.shape[1], oy],
                        [ox + c.shape[1], oy + c.shape[0]],
                        [ox, oy + c.shape[0]],
                    ]
                    for c, (ox, oy) in zip(crops, offsets, strict=True)
                ],
                dtype=np.float32,
            )
            placed = engine.cal_rec_boxes(list(crops), quads, res, False).word_results
            if len(placed) == len(crops):
                words = [[w for w in line if w[2] is not None] for line in placed]
        out: list[TextBox | None] = []
        for crop, (ox, oy), text, score, chars in zip(
            crops, offsets, res.txts, res.scores, words, strict=True
        ):
            if not str(text).strip() or float(score) < self.config.min_text_score:
                out.append(None)
                continue
            h, w = crop.shape[:2]
            box = Box(x0=ox, y0=oy, x1=ox + w, y1=oy + h, space=CoordSpace.IMAGE)
            out.append(
                TextBox(text=str(text), score=float(score), box=box, chars=_chars(chars, text, (0, 0)))
            )
        return out

    def _read_one(self, crop: np.ndarray, offset: tuple[int, int]) -> TextBox | None:
        """A crop read with the whole pipeline, its lines joined into one (the fallback of
        :meth:`recognize`)."""
        lines = self.read(crop, offset=offset)
        if not lines:
            return None
        h, w = crop.shape[:2]
        box = Box(x0=offset[0], y0=offset[1], x1=offset[0] + w, y1=offset[1] + h, space=CoordSpace.IMAGE)
        text = " ".join(line.text for line in lines)
        return TextBox(text=text, score=min(line.score for line in lines), box=box)

    def detect(self, image: Image.Image | np.ndarray) -> list[Box]:
        """Where text lines are, without reading them (the detector is script-agnostic, so
        another recogniser can read the boxes). Boxes in image pixels, reading order."""
        arr = to_array(image)
        if arr.shape[0] < 8 or arr.shape[1] < 8:
            return []
        result = self._load()(arr, use_det=True, use_cls=False, use_rec=False)
        if result.boxes is None:
            return []
        boxes = [
            Box(
                x0=float(q[:, 0].min()),
                y0=float(q[:, 1].min()),
                x1=float(q[:, 0].max()),
                y1=float(q[:, 1].max()),
                space=CoordSpace.IMAGE,
            )
            for q in result.boxes
        ]
        return sorted(boxes, key=lambda b: (round(b.y0 / 8), b.x0))


def _quad_box(quad: Any, offset: tuple[int, int]) -> Box:
    xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
    ox, oy = offset
    return Box(x0=min(xs) + ox, y0=min(ys) + oy, x1=max(xs) + ox, y1=max(ys) + oy, space=CoordSpace.IMAGE)


def _chars(found: Any, text: str, offset: tuple[int, int]) -> tuple[CharBox, ...]:
    """Character boxes of a line, kept only when they account for every non-space character."""
    out = []
    for item in found or ():
        if len(item) != 3 or item[2] is None or not str(item[0]).strip():
            continue
        for ch in str(item[0]).strip():
            out.append(CharBox(char=ch, box=_quad_box(item[2], offset)))
    if len(out) != len(text.replace(" ", "")):
        return ()  # the recogniser grouped differently: estimating from the line is safer
    return tuple(out)


NORMALISED_LINE = 0.97
"""Scores from here up mean the query is the whole line (not a part of it)."""


def find_text(lines: list[TextBox], query: str, *, min_score: float = 0.5) -> list[Candidate]:
    """Candidates for ``query`` among OCR ``lines``, best first (boxes in image space).

    A line that only contains the query (a merged row such as "Username Password", a word
    in a sentence) gets a box narrowed to the query: its characters' own boxes when the
    recogniser gave them, else its share of the line.
    """
    out = []
    for line in lines:
        score = text_score(query, line.text)
        box = line.box
        if min_score <= score < COMPACT and compact(query) in compact(line.text):
            # the query is part of the line (a merged row of buttons; CJK and Thai have no
            # spaces to split them): point at the part
            box = _narrow(line, query)
        if score < min_score:
            partial = best_substring_score(query, line.text)
            if partial < min_score:
                continue
            score, box = partial, _narrow(line, query)
        elif score < NORMALISED_LINE and line.chars:
            box = _narrow(line, query)  # the query is a part of the line: point at that part
        out.append(
            Candidate(
                box=box,
                score=min(1.0, score * (0.85 + 0.15 * line.score)),
                source="ocr",
                text=line.text,
                why=f"OCR read {line.text!r} ({line.score:.2f})",
            )
        )
    out.sort(key=lambda c: -c.score)
    return out


def _narrow(line: TextBox, query: str) -> Box:
    """The part of a line's box where ``query`` sits: from the characters' own boxes when the
    recogniser gave them, else assuming evenly spaced letters.

    Combining marks take no width of their own, and a right-to-left line is measured from
    its right edge.
    """
    if line.chars:
        compact_text = line.text.replace(" ", "").casefold()
        at = compact_text.find(query.replace(" ", "").casefold())
        if at >= 0:
            exact = line.span(at, len(query.replace(" ", "")))
            if exact is not None:
                return exact
    text = unicodedata.normalize("NFC", line.text).casefold()
    want = unicodedata.normalize("NFC", query).casefold()
    at = text.find(want)
    if at < 0:
        text, want = text.replace(" ", ""), want.replace(" ", "")
        at = text.find(want)
        if at < 0:
            return line.box
    before, inside, total = _width(text[:at]), _width(want), max(1, _width(text))
    w = line.box.width
    if has_rtl(text):
        x1 = line.box.x1 - w * before / total
        return line.box.model_copy(update={"x0": x1 - w * inside / total, "x1": x1})
    x0 = line.box.x0 + w * before / total
    return line.box.model_copy(update={"x0": x0, "x1": x0 + w * inside / total})


def _width(text: str) -> int:
    """Letters that take room on screen: everything but combining marks."""
    return sum(1 for c in text if not is_mark(c))


@cache
def bundled_charset() -> frozenset[str]:
    """The characters the bundled PP-OCR recogniser can output (read from the model's metadata).

    Raises:
        ConfigError: When rapidocr or onnxruntime is not installed.
    """
    try:
        import onnxruntime as ort
    except ModuleNotFoundError as e:
        raise ConfigError("OCR needs the 'ocr' extra: pip install 'screenpilot[ocr]'") from e
    path = model_paths(OcrConfig())["rec"]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    chars = session.get_modelmeta().custom_metadata_map.get("character", "")
    return frozenset(chars.splitlines())


def bundled_covers(text: str) -> bool:
    """Whether the bundled PP-OCR model can read every letter of ``text`` (composed form)."""
    charset = bundled_charset()
    return all(ch in charset for ch in unicodedata.normalize("NFC", text) if ch.isalpha())


class TextReader(Protocol):
    """Anything that reads text lines off an image (:class:`OcrEngine`, the Tesseract engine)."""

    def read(self, image: Image.Image | np.ndarray, *, offset: tuple[int, int] = (0, 0)) -> list[TextBox]: ...


@runtime_checkable
class LineRecognizer(Protocol):
    """A reader that can also recognise line crops without detecting (:class:`OcrEngine`)."""

    def recognize(self, crops: list[np.ndarray], offsets: list[tuple[int, int]]) -> list[TextBox | None]: ...
