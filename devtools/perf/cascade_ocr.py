"""The earlier incremental OCR, kept as the baseline of ``devtools.perf.ocr_latency``.

It grows each changed region over every cached line it touches plus a margin, repeatedly,
which cascades down a page of text; :mod:`screenpilot.tools.perception.incremental_ocr`
replaced it.

Between two agent steps most of a screen stays put: typing changes one field, ticking a
checkbox changes a few pixels. The frame is cut into tiles; tiles whose pixels differ are
marked dirty, grown by a margin, merged into rectangles, and any cached text line that
touches a dirty rectangle pulls the rectangle out to cover the whole line (so no line is
read half). Only those rectangles are read again; cached lines elsewhere are reused.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.perception.ocr import TextBox, TextReader, to_array
from screenpilot.tools.points import Box

Rect = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` in image pixels, end-exclusive."""


class CascadeConfig(BaseModel):
    """Options of :class:`CascadeOcr`.

    Attributes:
        tile: Tile edge in pixels for change detection.
        threshold: Per-pixel channel difference below which a pixel counts as unchanged
            (absorbs anti-aliasing noise and caret blinks of faint colour).
        margin: Pixels added around dirty regions so that text touching them is whole.
        full_above: Dirty share of the frame above which one full read is cheaper.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tile: int = Field(default=32, ge=8, le=256)
    threshold: int = Field(default=24, ge=0, le=255)
    margin: int = Field(default=12, ge=0, le=128)
    full_above: float = Field(default=0.55, gt=0.0, le=1.0)


class FrameStats(BaseModel):
    """What the last :meth:`CascadeOcr.read` did, for benchmarks and logs."""

    model_config = ConfigDict(frozen=True)

    full: bool
    regions: tuple[Rect, ...] = ()
    dirty_fraction: float = 0.0
    reused: int = 0
    read: int = 0


class CascadeOcr:
    """Caches the last frame and its text lines; reads only what changed.

    Args:
        engine: The OCR engine doing the reading.
        config: Change-detection options.
    """

    def __init__(self, engine: TextReader, config: CascadeConfig | None = None) -> None:
        self.engine = engine
        self.config = config or CascadeConfig()
        self._frame: np.ndarray | None = None
        self._lines: list[TextBox] = []
        self.last = FrameStats(full=True)

    def reset(self) -> None:
        """Forget the cached frame (the next read is a full one)."""
        self._frame, self._lines = None, []

    def read(self, image: Image.Image | np.ndarray) -> list[TextBox]:
        """Text lines of ``image``, re-reading only regions changed since the last call."""
        arr = to_array(image)
        prev = self._frame
        if prev is None or prev.shape != arr.shape:
            return self._full(arr)
        dirty = dirty_tiles(prev, arr, self.config.tile, self.config.threshold)
        fraction = float(dirty.mean()) if dirty.size else 0.0
        if fraction == 0.0:
            self._frame = arr
            self.last = FrameStats(full=False, reused=len(self._lines))
            return list(self._lines)
        if fraction > self.config.full_above:
            return self._full(arr)
        h, w = arr.shape[:2]
        regions = merge_rects(tiles_to_rects(dirty, self.config.tile, self.config.margin, w, h))
        regions = self._cover_lines(regions, w, h)
        kept = [ln for ln in self._lines if not any(_touches(ln.box, r) for r in regions)]
        fresh: list[TextBox] = []
        for x0, y0, x1, y1 in regions:
            fresh.extend(self.engine.read(arr[y0:y1, x0:x1], offset=(x0, y0)))
        self._frame, self._lines = arr, _reading_order(kept + fresh)
        self.last = FrameStats(
            full=False, regions=tuple(regions), dirty_fraction=fraction, reused=len(kept), read=len(fresh)
        )
        return list(self._lines)

    def _full(self, arr: np.ndarray) -> list[TextBox]:
        lines = self.engine.read(arr)
        self._frame, self._lines = arr, lines
        self.last = FrameStats(full=True, dirty_fraction=1.0, read=len(lines))
        return list(lines)

    def _cover_lines(self, regions: list[Rect], w: int, h: int) -> list[Rect]:
        """Grow regions over every cached line they touch, until nothing changes."""
        m = self.config.margin
        for _ in range(8):
            grown = []
            for r in regions:
                x0, y0, x1, y1 = r
                for ln in self._lines:
                    if _touches(ln.box, r):
                        b = ln.box
                        x0, y0 = min(x0, max(0, int(b.x0) - m)), min(y0, max(0, int(b.y0) - m))
                        x1, y1 = max(x1, min(w, int(b.x1) + m + 1)), max(y1, min(h, int(b.y1) + m + 1))
                grown.append((x0, y0, x1, y1))
            grown = merge_rects(grown)
            if grown == regions:
                break
            regions = grown
        return regions


def dirty_tiles(prev: np.ndarray, cur: np.ndarray, tile: int, threshold: int) -> np.ndarray:
    """A boolean grid, one cell per ``tile`` x ``tile`` block, true where pixels changed."""
    diff = np.abs(prev.astype(np.int16) - cur.astype(np.int16))
    changed = diff.max(axis=2) > threshold if diff.ndim == 3 else diff > threshold
    h, w = changed.shape
    rows, cols = -(-h // tile), -(-w // tile)
    padded = np.zeros((rows * tile, cols * tile), dtype=bool)
    padded[:h, :w] = changed
    return np.asarray(padded.reshape(rows, tile, cols, tile).any(axis=(1, 3)), dtype=bool)


def tiles_to_rects(dirty: np.ndarray, tile: int, margin: int, width: int, height: int) -> list[Rect]:
    """One rectangle per horizontal run of dirty tiles in each tile row, grown by ``margin``."""
    rects: list[Rect] = []
    for row in range(dirty.shape[0]):
        cols = np.flatnonzero(dirty[row])
        if cols.size == 0:
            continue
        start = prev = int(cols[0])
        for c in [*(int(c) for c in cols[1:]), None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            rects.append(
                (
                    max(0, start * tile - margin),
                    max(0, row * tile - margin),
                    min(width, (prev + 1) * tile + margin),
                    min(height, (row + 1) * tile + margin),
                )
            )
            if c is not None:
                start = prev = c
    return rects


def merge_rects(rects: list[Rect]) -> list[Rect]:
    """Merge overlapping or touching rectangles until none overlap (sorted, deterministic)."""
    merged = sorted(rects)
    changed = True
    while changed:
        changed = False
        out: list[Rect] = []
        for r in merged:
            for i, o in enumerate(out):
                if r[0] <= o[2] and o[0] <= r[2] and r[1] <= o[3] and o[1] <= r[3]:
                    out[i] = (min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]), max(r[3], o[3]))
                    changed = True
                    break
            else:
                out.append(r)
        merged = sorted(out)
    return merged


def _touches(box: Box, r: Rect) -> bool:
    return box.x0 < r[2] and r[0] < box.x1 and box.y0 < r[3] and r[1] < box.y1


def _reading_order(lines: list[TextBox]) -> list[TextBox]:
    return sorted(lines, key=lambda ln: (round(ln.box.y0 / 8), ln.box.x0))
