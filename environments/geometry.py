"""The one module that converts between coordinate spaces.

Spaces (see :class:`screenpilot.tools.points.CoordSpace`):

* ``rel1000`` / ``rel999``: relative to the screenshot the model saw, 0..N on each axis;
* ``image``: pixels of the image the model saw (it may have been resized);
* ``screen``: the driver's input space, logical pixels of the virtual desktop, that is the
  monitor's logical origin (``offset``) plus logical pixels within the monitor.

A screenshot covers one monitor (or one viewport). Its pixels relate to logical pixels by
``image_size / logical_size`` (the scale factor of the capture times any resize). Every
function here is pure. Points outside their space's range raise
:class:`~tools.errors.CoordinateOutOfRange`; nothing is clamped silently.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from screenpilot.tools.errors import CoordinateOutOfRange
from screenpilot.tools.points import Box, CoordSpace, Point

_RELATIVE_MAX: dict[CoordSpace, float] = {CoordSpace.REL1000: 1000.0, CoordSpace.REL999: 999.0}


class Size(BaseModel):
    """A width and height in pixels."""

    model_config = ConfigDict(frozen=True)

    width: int = Field(gt=0)
    height: int = Field(gt=0)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


class ScreenGeometry(BaseModel):
    """How a screenshot relates to the driver's input space.

    Attributes:
        image_size: Size of the image the model sees.
        logical_size: Size of the captured area in logical (input) pixels.
        scale_factor: Physical pixels per logical pixel of the display (DPR), recorded for
            reports and resize decisions; mapping uses the two sizes.
        offset_x: Logical x of the captured area's top-left corner in the virtual desktop.
        offset_y: Logical y of the captured area's top-left corner.
    """

    model_config = ConfigDict(frozen=True)

    image_size: Size
    logical_size: Size
    scale_factor: float = Field(default=1.0, gt=0.0)
    offset_x: float = 0.0
    offset_y: float = 0.0

    @model_validator(mode="after")
    def _finite(self) -> ScreenGeometry:
        if abs(self.offset_x) > 1e6 or abs(self.offset_y) > 1e6:
            raise ValueError("monitor offset out of any plausible range")
        return self

    @classmethod
    def simple(cls, width: int, height: int, scale_factor: float = 1.0) -> ScreenGeometry:
        """A single screen whose screenshot has ``scale_factor`` pixels per logical pixel."""
        logical = Size(width=width, height=height)
        image = Size(width=round(width * scale_factor), height=round(height * scale_factor))
        return cls(image_size=image, logical_size=logical, scale_factor=scale_factor)

    def resized(self, image_size: Size) -> ScreenGeometry:
        """The same screen seen through an image resized to ``image_size``."""
        return self.model_copy(update={"image_size": image_size})

    @property
    def image_per_logical_x(self) -> float:
        return self.image_size.width / self.logical_size.width

    @property
    def image_per_logical_y(self) -> float:
        return self.image_size.height / self.logical_size.height


def check_in_range(point: Point, geometry: ScreenGeometry) -> None:
    """Raise :class:`CoordinateOutOfRange` when ``point`` lies outside its space's range."""
    lo_x, lo_y, hi_x, hi_y = _bounds(point.space, geometry)
    if not (lo_x <= point.x <= hi_x and lo_y <= point.y <= hi_y):
        raise CoordinateOutOfRange(
            f"point {point} is outside the {point.space.value} range "
            f"x in [{lo_x:g}, {hi_x:g}], y in [{lo_y:g}, {hi_y:g}]"
        )


def _bounds(space: CoordSpace, g: ScreenGeometry) -> tuple[float, float, float, float]:
    if space in _RELATIVE_MAX:
        m = _RELATIVE_MAX[space]
        return 0.0, 0.0, m, m
    if space is CoordSpace.IMAGE:
        return 0.0, 0.0, float(g.image_size.width), float(g.image_size.height)
    return (
        g.offset_x,
        g.offset_y,
        g.offset_x + g.logical_size.width,
        g.offset_y + g.logical_size.height,
    )


def _to_unit(point: Point, g: ScreenGeometry) -> tuple[float, float]:
    """Fractions of the captured area, 0..1 on each axis."""
    if point.space in _RELATIVE_MAX:
        m = _RELATIVE_MAX[point.space]
        return point.x / m, point.y / m
    if point.space is CoordSpace.IMAGE:
        return point.x / g.image_size.width, point.y / g.image_size.height
    return (
        (point.x - g.offset_x) / g.logical_size.width,
        (point.y - g.offset_y) / g.logical_size.height,
    )


def _from_unit(ux: float, uy: float, space: CoordSpace, g: ScreenGeometry) -> Point:
    if space in _RELATIVE_MAX:
        m = _RELATIVE_MAX[space]
        return Point(x=ux * m, y=uy * m, space=space)
    if space is CoordSpace.IMAGE:
        return Point(x=ux * g.image_size.width, y=uy * g.image_size.height, space=space)
    return Point(
        x=g.offset_x + ux * g.logical_size.width,
        y=g.offset_y + uy * g.logical_size.height,
        space=space,
    )


def convert(point: Point, space: CoordSpace, geometry: ScreenGeometry) -> Point:
    """Convert ``point`` into ``space`` (unrounded).

    Raises:
        CoordinateOutOfRange: When ``point`` lies outside its own space's range.
    """
    check_in_range(point, geometry)
    if point.space == space:
        return point
    ux, uy = _to_unit(point, geometry)
    return _from_unit(ux, uy, space, geometry)


def to_screen(point: Point, geometry: ScreenGeometry) -> tuple[int, int]:
    """Integer driver coordinates for ``point``.

    The right and bottom edges of a relative or image space (1000, or the image width)
    map onto the last pixel of the screen rather than one past it.

    Raises:
        CoordinateOutOfRange: When ``point`` lies outside its space's range.
    """
    p = convert(point, CoordSpace.SCREEN, geometry)
    max_x = geometry.offset_x + geometry.logical_size.width - 1
    max_y = geometry.offset_y + geometry.logical_size.height - 1
    return int(min(round(p.x), max_x)), int(min(round(p.y), max_y))


def to_screen_float(point: Point, geometry: ScreenGeometry) -> tuple[float, float]:
    """Sub-pixel driver coordinates (for drivers that accept them, such as Playwright).

    As in :func:`to_screen`, the right and bottom edges (1000, or the image width) land
    on the last pixel, never one past the viewport.

    Raises:
        CoordinateOutOfRange: When ``point`` lies outside its space's range.
    """
    p = convert(point, CoordSpace.SCREEN, geometry)
    max_x = geometry.offset_x + geometry.logical_size.width - 1
    max_y = geometry.offset_y + geometry.logical_size.height - 1
    return min(p.x, float(max_x)), min(p.y, float(max_y))


def to_image(point: Point, geometry: ScreenGeometry) -> tuple[int, int]:
    """Integer pixel coordinates in the screenshot, for drawing markers."""
    p = convert(point, CoordSpace.IMAGE, geometry)
    return (
        int(min(round(p.x), geometry.image_size.width - 1)),
        int(min(round(p.y), geometry.image_size.height - 1)),
    )


def box_to_space(box: Box, space: CoordSpace, geometry: ScreenGeometry) -> Box:
    """Convert both corners of a box (boxes may extend past the screen; they are not checked)."""
    if box.space == space:
        return box
    corners = []
    for x, y in ((box.x0, box.y0), (box.x1, box.y1)):
        ux, uy = _to_unit(Point(x=x, y=y, space=box.space), geometry)
        corners.append(_from_unit(ux, uy, space, geometry))
    a, b = corners
    return Box(x0=a.x, y0=a.y, x1=b.x, y1=b.y, space=space)


def monitor_geometry(
    *,
    physical_left: int,
    physical_top: int,
    physical_width: int,
    physical_height: int,
    scale_factor: float,
    image_size: Size | None = None,
) -> ScreenGeometry:
    """Geometry of one monitor described in physical pixels of a virtual desktop.

    Platforms differ in which space input uses; this helper is for those whose input space
    is logical pixels (``physical / scale``). On X11 without scaling pass ``scale_factor=1``.
    """
    logical = Size(width=round(physical_width / scale_factor), height=round(physical_height / scale_factor))
    image = image_size or Size(width=physical_width, height=physical_height)
    return ScreenGeometry(
        image_size=image,
        logical_size=logical,
        scale_factor=scale_factor,
        offset_x=physical_left / scale_factor,
        offset_y=physical_top / scale_factor,
    )
