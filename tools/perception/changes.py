"""Where two frames of the same screen differ.

The difference is found on a coarse grid first (one cell per ``cell`` x ``cell`` block,
true where any pixel of the block changed by more than a threshold), cells are grouped into
connected regions, and each region is refined to the exact bounding box of its changed
pixels. A caret blink gives a 1 x 16 pixel rectangle, not a 32-pixel tile plus a margin.
"""

from __future__ import annotations

import cv2
import numpy as np

Rect = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` in image pixels, end-exclusive."""


def changed_mask(prev: np.ndarray, cur: np.ndarray, threshold: int) -> np.ndarray:
    """Boolean image, true where any channel differs by more than ``threshold``."""
    diff = cv2.absdiff(prev, cur)
    if diff.ndim == 3:
        channels = cv2.split(diff)  # cv2's per-channel maximum is ~20x numpy's max(axis=2)
        diff = channels[0]
        for c in channels[1:]:
            diff = cv2.max(diff, c)
    return np.asarray(diff > threshold, dtype=bool)


def changed_rects(mask: np.ndarray, cell: int = 8, join: int = 1) -> list[Rect]:
    """Tight rectangles around groups of changed pixels.

    Args:
        mask: From :func:`changed_mask`.
        cell: Grid cell edge; changes in cells up to ``join`` cells apart form one group.
        join: Gap (in cells) bridged between changed cells of one group.
    """
    h, w = mask.shape
    rows, cols = -(-h // cell), -(-w // cell)
    padded = np.zeros((rows * cell, cols * cell), dtype=bool)
    padded[:h, :w] = mask
    grid: np.ndarray = np.asarray(padded.reshape(rows, cell, cols, cell).any(axis=(1, 3)), dtype=np.uint8)
    if not grid.any():
        return []
    grown: np.ndarray = cv2.dilate(grid, np.ones((2 * join + 1, 2 * join + 1), np.uint8)) if join else grid
    count, labels = cv2.connectedComponents(grown, connectivity=8)
    out: list[Rect] = []
    for label in range(1, count):
        ys, xs = np.nonzero((labels == label) & (grid > 0))
        gy0, gy1, gx0, gx1 = ys.min() * cell, (ys.max() + 1) * cell, xs.min() * cell, (xs.max() + 1) * cell
        sub = mask[gy0:gy1, gx0:gx1]
        py, px = np.nonzero(sub)
        out.append(
            (int(gx0 + px.min()), int(gy0 + py.min()), int(gx0 + px.max() + 1), int(gy0 + py.max() + 1))
        )
    return sorted(out, key=lambda r: (r[1], r[0]))
