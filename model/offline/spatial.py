"""Geometry of hints: relations to an anchor, screen regions, reading order, labels."""

from __future__ import annotations

import math
from collections.abc import Sequence

from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.model.offline.hints import HRegion, Relation, VRegion
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box


def reading_key(box: Box) -> tuple[int, float]:
    """Sort key for reading order: rows (by centre, 12 px bands), then left to right."""
    c = box.center
    return round(c.y / 12), c.x


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def relation_distance(box: Box, anchor: Box, relation: Relation) -> float | None:
    """Distance from ``anchor`` to ``box`` along ``relation``; ``None`` when not in that direction.

    "Below" means the box starts under the anchor's middle and overlaps it horizontally
    (or nearly: labels are often left-aligned with longer fields); the others follow.
    """
    c, a = box.center, anchor.center
    slack_x = max(anchor.width, 40.0)
    slack_y = max(anchor.height, 12.0)
    if relation == "below":
        if c.y <= a.y or box.y0 < anchor.y0:
            return None
        near_x = _overlap(box.x0, box.x1, anchor.x0 - slack_x, anchor.x1 + slack_x) > 0
        return box.y0 - anchor.y1 + (0 if near_x else 400) + 0.1 * abs(box.x0 - anchor.x0)
    if relation == "above":
        if c.y >= a.y or box.y1 > anchor.y1:
            return None
        near_x = _overlap(box.x0, box.x1, anchor.x0 - slack_x, anchor.x1 + slack_x) > 0
        return anchor.y0 - box.y1 + (0 if near_x else 400) + 0.1 * abs(box.x0 - anchor.x0)
    if relation in ("right_of", "left_of"):
        same_row = _overlap(box.y0, box.y1, anchor.y0 - slack_y / 2, anchor.y1 + slack_y / 2) > 0
        gap = box.x0 - anchor.x1 if relation == "right_of" else anchor.x0 - box.x1
        if gap < -min(anchor.width, box.width) / 2:
            return None
        return max(gap, 0.0) + (0 if same_row else 400) + 0.5 * abs(c.y - a.y)
    return math.hypot(c.x - a.x, c.y - a.y)


def in_region(box: Box, geometry: ScreenGeometry, v: VRegion | None, h: HRegion | None) -> bool:
    """Whether the box's centre lies in the given third(s) of the screen."""
    c = box.center
    ux = (c.x - geometry.offset_x) / geometry.logical_size.width
    uy = (c.y - geometry.offset_y) / geometry.logical_size.height
    ok_v = (
        v is None
        or (v == "top" and uy < 1 / 3)
        or (v == "bottom" and uy > 2 / 3)
        or (v == "middle" and 0.25 < uy < 0.75)
    )
    ok_h = (
        h is None
        or (h == "left" and ux < 1 / 3)
        or (h == "right" and ux > 2 / 3)
        or (h == "center" and 0.25 < ux < 0.75)
    )
    return ok_v and ok_h


def corner_distance(box: Box, geometry: ScreenGeometry, v: VRegion | None, h: HRegion | None) -> float:
    """How far the box's centre is from the corner or edge the region names (0..~1.4)."""
    c = box.center
    ux = (c.x - geometry.offset_x) / geometry.logical_size.width
    uy = (c.y - geometry.offset_y) / geometry.logical_size.height
    tx = {"left": 0.0, "right": 1.0, "center": 0.5}.get(h or "", ux)
    ty = {"top": 0.0, "bottom": 1.0, "middle": 0.5}.get(v or "", uy)
    return math.hypot(ux - tx, uy - ty)


def pick_ordinal(cands: Sequence[Candidate], ordinal: int) -> list[Candidate]:
    """The ``ordinal``-th (1-based, -1 last) candidate in reading order, then the rest."""
    if not cands:
        return []
    best = max(c.score for c in cands)
    # Among equally good matches only: "the second Edit link" counts Edit links.
    pool = sorted((c for c in cands if c.score >= best - 0.12), key=lambda c: reading_key(c.box))
    index = ordinal - 1 if ordinal > 0 else len(pool) + ordinal
    if not 0 <= index < len(pool):
        return []
    chosen = pool[index]
    rest = [c for c in cands if c is not chosen]
    return [chosen, *sorted(rest, key=lambda c: -c.score)]


def field_near_label(label: Box, fields: Sequence[Box], *, max_gap: float = 160.0) -> Box | None:
    """The field a label names: the nearest one to its right on the same row, or just below.

    A label sits left of its input (same row) or above it (left edges close); the field
    must start within ``max_gap`` pixels.
    """
    for f in fields:
        if f.contains(label.center):
            return f  # the "label" is the field's own placeholder text
    # A field on the label's row wins over one below it, however the font sets the gaps
    # (a tall label font can bring the next row's field nearer than this row's).
    for relation in ("right_of", "below"):
        near = [
            (d, i) for i, f in enumerate(fields) if (d := relation_distance(f, label, relation)) is not None
        ]
        near = [(d, i) for d, i in near if d < max_gap]
        if near:
            return fields[min(near)[1]]
    return None


def checkbox_near_label(label: Box, boxes: Sequence[Box], *, max_gap: float = 48.0) -> Box | None:
    """The checkbox a label names: the nearest small box left (or right) on the same row."""
    best: tuple[float, Box] | None = None
    for b in boxes:
        if b.contains(label.center):
            return b
        for rel in ("left_of", "right_of"):
            d = relation_distance(b, label, rel)
            if d is not None and d < max_gap and (best is None or d < best[0]):
                best = (d, b)
    return best[1] if best else None
