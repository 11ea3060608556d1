"""OCR that re-reads only the text lines that changed since the last frame.

Between two agent steps most of a screen stays put: typing changes one field, ticking a
checkbox changes a few pixels. Each read compares the frame with the previous one
(:mod:`~tools.perception.changes`: a coarse grid, refined to tight rectangles of changed
pixels) and then:

* a change inside one known line (a caret, a digit, a placeholder replaced by text) has that
  line's crop recognised again, with no detection;
* any other change (text that appeared, grew past its line, a menu that opened) is detected
  and read inside the changed rectangle, widened by a few pixels and over the known lines
  that hold changed pixels themselves, once (no cascade down the page);
* every other line is carried over with its box.

Recognition results are cached by a digest of the crop's pixels (LRU, bounded), so a line
that goes back to an earlier look (a caret blinking, a hover toggling) is not read again.
A screen identical to the last one returns the last lines without any OCR.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.perception.changes import Rect, changed_mask, changed_rects
from screenpilot.tools.perception.fingerprint import pixel_hash, screen_fingerprint
from screenpilot.tools.perception.ocr import LineRecognizer, TextBox, TextReader, to_array
from screenpilot.tools.points import Box


class IncrementalConfig(BaseModel):
    """Options of :class:`IncrementalOcr`.

    Attributes:
        cell: Grid cell edge in pixels for the coarse change search.
        threshold: Per-pixel channel difference below which a pixel counts as unchanged.
        pad: Pixels around a line's box whose change still belongs to the line.
        margin: Pixels added around a changed region before detecting text in it.
        full_above: Changed share of the frame above which one full read is done instead.
        cache_size: Crops whose recognition results are remembered (LRU).
        skip_unchanged: Return the last lines for a pixel-identical screen (a digest decides)
            instead of comparing it with the last frame.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    cell: int = Field(default=8, ge=2, le=128)
    threshold: int = Field(default=24, ge=0, le=255)
    pad: int = Field(default=2, ge=0, le=32)
    margin: int = Field(default=6, ge=0, le=64)
    full_above: float = Field(default=0.45, gt=0.0, le=1.0)
    cache_size: int = Field(default=512, ge=0, le=100_000)
    skip_unchanged: bool = True


class FrameStats(BaseModel):
    """What the last :meth:`IncrementalOcr.read` did, for benchmarks and logs."""

    model_config = ConfigDict(frozen=True)

    full: bool
    unchanged: bool = False
    regions: tuple[Rect, ...] = ()
    dirty_fraction: float = 0.0
    reused: int = 0
    read: int = 0
    recognized: int = 0
    cache_hits: int = 0


class CropCache:
    """Reading results by crop digest, least recently used dropped first (positions relative
    to the crop, so the same look anywhere on the screen hits)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, list[TextBox]] = OrderedDict()

    def get(self, key: str) -> list[TextBox] | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: str, lines: list[TextBox]) -> None:
        if self.size <= 0:
            return
        self._items[key] = lines
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


class IncrementalOcr:
    """Caches the last frame and its text lines; reads only what changed.

    Args:
        engine: The OCR engine; with :class:`~tools.perception.ocr.LineRecognizer` support
            changed lines are recognised without detection.
        config: Change-detection options.
    """

    def __init__(self, engine: TextReader, config: IncrementalConfig | None = None) -> None:
        self.engine = engine
        self.config = config or IncrementalConfig()
        self.cache = CropCache(self.config.cache_size)
        self._frame: np.ndarray | None = None
        self._fingerprint = ""
        self._lines: list[TextBox] = []
        self._rects: list[Rect] = []  # the crop each line was read from (its box, widened)
        self.last = FrameStats(full=True)

    def reset(self) -> None:
        """Forget the cached frame (the next read is a full one); crop results stay valid."""
        self._frame, self._lines, self._rects, self._fingerprint = None, [], [], ""

    def read(self, image: Image.Image | np.ndarray) -> list[TextBox]:
        """Text lines of ``image``, re-reading only lines and regions changed since the last call."""
        arr = to_array(image)
        fingerprint = screen_fingerprint(arr) if self.config.skip_unchanged else ""
        prev = self._frame
        if prev is None or prev.shape != arr.shape:
            return self._full(arr, fingerprint)
        if fingerprint and fingerprint == self._fingerprint:
            self.last = FrameStats(full=False, unchanged=True, reused=len(self._lines))
            return list(self._lines)
        cfg = self.config
        mask = changed_mask(prev, arr, cfg.threshold)
        rects = changed_rects(mask, cfg.cell)
        h, w = mask.shape
        fraction = sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects) / float(w * h)
        if fraction > cfg.full_above:
            return self._full(arr, fingerprint)
        boxes = self._rects
        alone, regions, replaced = self._plan(rects, boxes, mask, w, h)
        hits = 0
        fresh: list[tuple[TextBox, Rect]] = []
        detected: list[tuple[TextBox, Rect]] = []
        # lines changed inside their own box: recognised alone, from the same crop as before
        todo = [i for i in alone if i not in replaced]
        got, n_hits, recognized = self._recognize(arr, [boxes[i] for i in todo])
        hits += n_hits
        for i, found in zip(todo, got, strict=True):
            if found is not None:
                fresh.append((_settle_box(found, self._lines[i], arr, boxes[i]), boxes[i]))
        gone = replaced | set(todo)
        kept = [(ln, boxes[i]) for i, ln in enumerate(self._lines) if i not in gone]
        for r in regions:
            lines, hit = self._read_region(arr, r, [b for _, b in kept if _overlaps(r, b)])
            hits += hit
            recognized += 0 if hit else len(lines)
            lines = _keep_segmentation(lines, [self._lines[i] for i in replaced if _overlaps(r, boxes[i])])
            detected += [
                (ln, _line_rect(ln.box, w, h))
                for ln in lines
                if not any(_center_in(ln.box, k.box) for k, _ in kept)
            ]
        fresh += detected
        self._frame, self._fingerprint = arr, fingerprint
        self._remember(arr, kept + fresh, detected)
        self.last = FrameStats(
            full=False,
            regions=tuple(regions),
            dirty_fraction=fraction,
            reused=len(kept),
            read=len(fresh),
            recognized=recognized,
            cache_hits=hits,
        )
        return list(self._lines)

    def _plan(
        self, rects: list[Rect], boxes: list[Rect], mask: np.ndarray, w: int, h: int
    ) -> tuple[list[int], list[Rect], set[int]]:
        """Which lines to recognise alone, which regions to detect in, which lines those replace."""
        pad, m = self.config.pad, self.config.margin
        alone: list[int] = []
        regions: list[Rect] = []
        for r in rects:
            touched = [i for i, b in enumerate(boxes) if _overlaps(_grow(b, pad, w, h), r)]
            if len(touched) == 1 and _contains(_grow(boxes[touched[0]], pad, w, h), r):
                alone.append(touched[0])
                continue
            region = r
            for i, b in enumerate(boxes):
                x0, y0, x1, y1 = _grow(b, pad, w, h)
                holds_change = i in touched and bool(mask[y0:y1, x0:x1].any())
                if holds_change or _same_row_neighbour(b, r):
                    region = _union(region, b)
            regions.append(_grow(region, m, w, h))
        regions = _merge([_align(r, w, h) for r in regions])
        replaced = {i for i, b in enumerate(boxes) if any(_contains(reg, b) for reg in regions)}
        # a line with changed pixels that a region only clips is read with the region too
        for i in alone:
            if i not in replaced and any(_overlaps(reg, boxes[i]) for reg in regions):
                replaced.add(i)
                regions = _merge([*regions, _align(boxes[i], w, h)])
        return alone, regions, replaced

    def _recognize(self, arr: np.ndarray, rects: list[Rect]) -> tuple[list[TextBox | None], int, int]:
        """Recognise line crops (cached by their pixels); returns results, cache hits, lines read."""
        out: list[TextBox | None] = [None] * len(rects)
        missing: list[int] = []
        keys: list[str] = []
        for n, (x0, y0, x1, y1) in enumerate(rects):
            keys.append("line:" + pixel_hash(arr[y0:y1, x0:x1]))
            cached = self.cache.get(keys[-1])
            if cached is None:
                missing.append(n)
            elif cached:
                out[n] = _shift(cached[0], x0, y0)
        if not missing:
            return out, len(rects), 0
        crops = [arr[rects[n][1] : rects[n][3], rects[n][0] : rects[n][2]] for n in missing]
        offsets = [(rects[n][0], rects[n][1]) for n in missing]
        if isinstance(self.engine, LineRecognizer):
            got = self.engine.recognize(crops, offsets)
        else:
            got = [
                next(iter(self.engine.read(c, offset=o)), None) for c, o in zip(crops, offsets, strict=True)
            ]
        for n, found in zip(missing, got, strict=True):
            out[n] = found
            x0, y0 = rects[n][0], rects[n][1]
            self.cache.put(keys[n], [_shift(found, -x0, -y0)] if found is not None else [])
        return out, len(rects) - len(missing), len(missing)

    def _read_region(self, arr: np.ndarray, r: Rect, kept: list[Rect]) -> tuple[list[TextBox], int]:
        """Detect and read inside ``r``, with the unchanged lines it clips painted over (so no
        fragment of them is read or joined to new text)."""
        x0, y0, x1, y1 = r
        crop = arr[y0:y1, x0:x1]
        if kept:
            crop = crop.copy()
            for bx0, by0, bx1, by1 in kept:
                part = crop[max(0, by0 - y0) : by1 - y0, max(0, bx0 - x0) : bx1 - x0]
                if part.size:
                    part[:] = _background(part)
        key = "region:" + pixel_hash(crop)
        cached = self.cache.get(key)
        if cached is not None:
            return [_shift(ln, x0, y0) for ln in cached], 1
        lines = self.engine.read(crop, offset=(x0, y0))
        self.cache.put(key, [_shift(ln, -x0, -y0) for ln in lines])
        return lines, 0

    def _remember(
        self, arr: np.ndarray, pairs: list[tuple[TextBox, Rect]], detected: list[tuple[TextBox, Rect]]
    ) -> None:
        """Keep lines in reading order with their crops; cache what the detector found by its
        line crop, so a line that later changes and changes back is found in the cache."""
        pairs = sorted(pairs, key=lambda p: (round(p[0].box.y0 / 8), p[0].box.x0))
        self._lines = [ln for ln, _ in pairs]
        self._rects = [r for _, r in pairs]
        for line, (x0, y0, x1, y1) in detected:
            self.cache.put("line:" + pixel_hash(arr[y0:y1, x0:x1]), [_shift(line, -x0, -y0)])

    def _full(self, arr: np.ndarray, fingerprint: str) -> list[TextBox]:
        lines = self.engine.read(arr)
        h, w = arr.shape[:2]
        pairs = [(ln, _line_rect(ln.box, w, h)) for ln in lines]
        self._frame, self._fingerprint = arr, fingerprint
        self._remember(arr, pairs, pairs)
        self.last = FrameStats(full=True, dirty_fraction=1.0, read=len(lines), recognized=len(lines))
        return list(self._lines)


def _line_rect(box: Box, w: int, h: int) -> Rect:
    """A line's box as the integer crop the full pipeline would hand the recogniser."""
    return (max(0, int(box.x0)), max(0, int(box.y0)), min(w, int(box.x1) + 1), min(h, int(box.y1) + 1))


def _settle_box(found: TextBox, before: TextBox, arr: np.ndarray, rect: Rect) -> TextBox:
    """A re-recognised line keeps its detected box when its text did not change, and is
    narrowed to its ink when it did (a placeholder replaced by a shorter value)."""
    if found.text == before.text:
        return found.model_copy(update={"box": before.box})
    span = _ink_span(arr[rect[1] : rect[3], rect[0] : rect[2]])
    if span is None:
        return found.model_copy(update={"box": before.box})
    slack = 0.25 * before.box.height  # the detector's boxes reach past the ink by about this
    x0, x1 = rect[0] + span[0] - slack, rect[0] + span[1] + slack
    box = before.box.model_copy(update={"x0": max(rect[0], x0), "x1": min(rect[2], x1)})
    return found.model_copy(update={"box": box})


def _ink_span(crop: np.ndarray, contrast: int = 48) -> tuple[int, int] | None:
    """First and last column (end-exclusive) that differ from the crop's background colour."""
    background = _background(crop)
    diff = np.abs(crop.astype(np.int16) - background.astype(np.int16))
    marked = (diff.max(axis=2) if diff.ndim == 3 else diff) > contrast
    marked = marked[marked.mean(axis=1) < 0.9]  # rows that are one long line: a border, a focus ring
    ink = np.flatnonzero(marked.any(axis=0))
    return (int(ink[0]), int(ink[-1]) + 1) if ink.size else None


def _background(crop: np.ndarray) -> np.ndarray:
    """The colour most of a crop's corners share."""
    corners = [crop[0, 0], crop[0, -1], crop[-1, 0], crop[-1, -1]]
    return max(corners, key=lambda c: sum(bool(np.array_equal(c, o)) for o in corners)).copy()


def _keep_segmentation(fresh: list[TextBox], before: list[TextBox]) -> list[TextBox]:
    """Fresh lines whose text is exactly that of the earlier lines they cover keep those lines
    (the detector, given a crop, may join two neighbours it split on the whole screen)."""
    out: list[TextBox] = []
    for line in fresh:
        covered = sorted((b for b in before if _center_in(b.box, line.box)), key=lambda b: b.box.x0)
        joined = "".join(b.text for b in covered).replace(" ", "")
        out.extend(covered if covered and joined == line.text.replace(" ", "") else [line])
    return out


def _shift(line: TextBox, dx: float, dy: float) -> TextBox:
    chars = tuple(c.model_copy(update={"box": c.box.shifted(dx, dy)}) for c in line.chars)
    return line.model_copy(update={"box": line.box.shifted(dx, dy), "chars": chars})


def _align(r: Rect, w: int, h: int, step: int = 32) -> Rect:
    """``r`` grown to a multiple of ``step`` on each side (kept inside the image): the detector
    resizes its input to such sizes, and a crop that needs none is read like the whole screen."""

    def side(a: int, b: int, limit: int) -> tuple[int, int]:
        size = min(limit, -(-(b - a) // step) * step)
        a = max(0, min(a - (size - (b - a)) // 2, limit - size))
        return a, a + size

    x0, x1 = side(r[0], r[2], w)
    y0, y1 = side(r[1], r[3], h)
    return (x0, y0, x1, y1)


def _grow(r: Rect, by: int, w: int, h: int) -> Rect:
    return (max(0, r[0] - by), max(0, r[1] - by), min(w, r[2] + by), min(h, r[3] + by))


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _contains(outer: Rect, inner: Rect) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _union(a: Rect, b: Rect) -> Rect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _same_row_neighbour(line: Rect, r: Rect) -> bool:
    """Whether a change sits on a line's row just past its end (text typed after it)."""
    height = line[3] - line[1]
    overlap = min(line[3], r[3]) - max(line[1], r[1])
    gap = max(r[0] - line[2], line[0] - r[2])
    return overlap >= 0.5 * min(height, r[3] - r[1]) and gap <= height


def _center_in(box: Box, outer: Box) -> bool:
    c = box.center
    return outer.x0 <= c.x <= outer.x1 and outer.y0 <= c.y <= outer.y1


def _merge(rects: list[Rect]) -> list[Rect]:
    """Merge overlapping rectangles until none overlap (sorted, deterministic)."""
    merged = sorted(rects)
    changed = True
    while changed:
        changed = False
        out: list[Rect] = []
        for r in merged:
            for i, o in enumerate(out):
                if _overlaps(r, o):
                    out[i] = _union(r, o)
                    changed = True
                    break
            else:
                out.append(r)
        merged = sorted(out)
    return merged
