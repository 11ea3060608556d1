"""Find rectangular controls (text fields, checkboxes, buttons) by their outlines.

When a screen exposes no element tree, OCR sees a field's label but not the field. Form
controls are drawn as rectangles, so outlined rectangles of plausible sizes are good
guesses: wide and short ones are fields or buttons, small squares are checkboxes. Boxes
are in image pixels.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.ocr import to_array
from screenpilot.tools.points import Box, CoordSpace

ShapeKind = Literal["field", "checkbox"]


class Shape(BaseModel):
    """An outlined rectangle that looks like a control."""

    model_config = ConfigDict(frozen=True)

    kind: ShapeKind
    box: Box
    filled: bool = False


def _cv2() -> Any:
    try:
        import cv2
    except ModuleNotFoundError as e:
        raise ConfigError("shape detection needs the 'ocr' extra (opencv-python-headless)") from e
    return cv2


def find_shapes(image: Image.Image | np.ndarray, *, scale: float = 1.0) -> list[Shape]:
    """Rectangles that look like fields (wide, 16-90 px high) or checkboxes (small squares).

    Args:
        image: The screenshot.
        scale: Image pixels per logical pixel, so size limits hold on HiDPI screens.

    Returns:
        Shapes in reading order, nested duplicates removed.
    """
    cv2 = _cv2()
    gray = cv2.cvtColor(to_array(image), cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(gray, 30, 90)
    edges = cv2.dilate(edges, np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    shapes: list[Shape] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        kind = _classify(w / scale, h / scale)
        if kind is None:
            continue
        # An outline fills its bounding box; text and icons do not.
        if cv2.contourArea(contour) < 0.75 * w * h:
            continue
        box = Box(x0=float(x), y0=float(y), x1=float(x + w), y1=float(y + h), space=CoordSpace.IMAGE)
        shapes.append(Shape(kind=kind, box=box))
    return _dedupe(shapes)


def _classify(w: float, h: float) -> ShapeKind | None:
    if 9 <= w <= 32 and 9 <= h <= 32 and abs(w - h) <= 4:
        return "checkbox"
    if 16 <= h <= 90 and w >= 60 and w >= 2.2 * h:
        return "field"
    return None


def _dedupe(shapes: list[Shape]) -> list[Shape]:
    """Keep the outer of two nearly identical boxes (a border's inner and outer edge)."""
    out: list[Shape] = []
    for s in sorted(shapes, key=lambda s: -(s.box.width * s.box.height)):
        if any(_near_same(s.box, o.box) for o in out if o.kind == s.kind):
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s.box.y0, s.box.x0))


def _near_same(a: Box, b: Box, tol: float = 6.0) -> bool:
    return (
        abs(a.x0 - b.x0) <= tol
        and abs(a.y0 - b.y0) <= tol
        and abs(a.x1 - b.x1) <= tol
        and abs(a.y1 - b.y1) <= tol
    )
