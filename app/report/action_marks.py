"""Where an action acted, in pixels of the screenshot it acted on.

Reports and the web UI draw these marks over screenshots. Every conversion goes through
:mod:`screenpilot.environments.geometry`, with the geometry the step observed, so a HiDPI screen or a
resized screenshot puts the mark where the driver actually clicked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import ScreenGeometry, box_to_space, convert
from screenpilot.tools.actions import Action, Click, Drag, LongPress, MouseMove, Scroll, Swipe
from screenpilot.tools.errors import CoordinateOutOfRange
from screenpilot.tools.points import Box, CoordSpace, Point

MarkKind = Literal["point", "path", "box"]


class Mark(BaseModel):
    """A shape to draw over a screenshot, in image pixels.

    Attributes:
        kind: ``point`` (one click, tap, move), ``path`` (drag or swipe, first point is the
            start) or ``box`` (two corners: ``points[0]`` top-left, ``points[1]`` bottom-right).
        points: Image-pixel coordinates (floats; the SVG scales them with the image).
        label: A short caption (the action verb, or ``target``).
        ok: Whether the action succeeded (failed ones are drawn differently).
    """

    model_config = ConfigDict(frozen=True)

    kind: MarkKind
    points: tuple[tuple[float, float], ...]
    label: str = ""
    ok: bool = True


def _image_xy(point: Point, geometry: ScreenGeometry) -> tuple[float, float]:
    p = convert(point, CoordSpace.IMAGE, geometry)
    return p.x, p.y


def _points_of(action: Action) -> tuple[MarkKind, list[Point]]:
    match action:
        case Click(at=p) | MouseMove(at=p) | LongPress(at=p):
            return "point", [p]
        case Scroll(at=p) if p is not None:
            return "point", [p]
        case Drag(path=path):
            return ("path" if len(path) > 1 else "point"), list(path)
        case Swipe(start=s, end=e):
            return "path", [s, e]
    return "point", []


def action_marks(action: Action, geometry: ScreenGeometry, *, ok: bool = True) -> list[Mark]:
    """The marks for one action (none for actions without a location).

    A point outside its space's range (the agent rejected it) has no place on the image
    and yields no mark; the report shows the rejection message instead.
    """
    kind, points = _points_of(action)
    if not points:
        return []
    try:
        xy = tuple(_image_xy(p, geometry) for p in points)
    except CoordinateOutOfRange:
        return []
    return [Mark(kind=kind, points=xy, label=action.action, ok=ok)]


def target_marks(target: Point | Box, geometry: ScreenGeometry, label: str = "target") -> list[Mark]:
    """The mark for a grounder's answer: a point or a box in any space."""
    if isinstance(target, Point):
        try:
            return [Mark(kind="point", points=(_image_xy(target, geometry),), label=label)]
        except CoordinateOutOfRange:
            return []
    b = box_to_space(target, CoordSpace.IMAGE, geometry)
    return [Mark(kind="box", points=((b.x0, b.y0), (b.x1, b.y1)), label=label)]


def marks_for(actions: Iterable[tuple[Action, bool]], geometry: ScreenGeometry) -> list[Mark]:
    """Marks for a sequence of ``(action, ok)`` pairs, in order."""
    out: list[Mark] = []
    for action, ok in actions:
        out.extend(action_marks(action, geometry, ok=ok))
    return out
