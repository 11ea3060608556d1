"""Points that carry the coordinate space they were expressed in.

Models and drivers disagree about coordinates: Qwen3-VL answers in relative 0-1000, the
official mobile notebook divides by 999, Qwen2.5-VL and UI-TARS answer in pixels of the
resized image, and drivers want screen pixels. A bare ``(x, y)`` cannot say which, so every
point in the action space names its space. Conversion lives in ``screenpilot.environments.geometry``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class CoordSpace(StrEnum):
    """The coordinate space a point is expressed in."""

    REL1000 = "rel1000"
    """Relative to the screenshot, 0..1000 on each axis (Qwen3-VL default)."""
    REL999 = "rel999"
    """Relative to the screenshot, 0..999 on each axis (Qwen3-VL mobile notebook)."""
    IMAGE = "image"
    """Pixels of the image the model was shown (after any resize)."""
    SCREEN = "screen"
    """The driver's input space: logical screen pixels including the monitor offset."""


class Point(BaseModel):
    """A location with its coordinate space.

    Attributes:
        x: Horizontal coordinate.
        y: Vertical coordinate.
        space: The space ``x`` and ``y`` are expressed in.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    x: float = Field(allow_inf_nan=False)
    y: float = Field(allow_inf_nan=False)
    space: CoordSpace = CoordSpace.SCREEN

    def __str__(self) -> str:
        return f"({self.x:g}, {self.y:g})@{self.space.value}"


class Box(BaseModel):
    """An axis-aligned rectangle ``[x0, x1) x [y0, y1)`` in one coordinate space."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    x0: float
    y0: float
    x1: float
    y1: float
    space: CoordSpace = CoordSpace.SCREEN

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def center(self) -> Point:
        return Point(x=(self.x0 + self.x1) / 2, y=(self.y0 + self.y1) / 2, space=self.space)

    def shifted(self, dx: float, dy: float) -> Box:
        """The same box moved by ``(dx, dy)`` in its space (a crop's box placed in the image)."""
        if not dx and not dy:
            return self
        return self.model_copy(
            update={"x0": self.x0 + dx, "x1": self.x1 + dx, "y0": self.y0 + dy, "y1": self.y1 + dy}
        )

    def contains(self, point: Point) -> bool:
        """Whether ``point`` (in the same space) lies inside the box."""
        if point.space != self.space:
            raise ValueError(f"point in {point.space} tested against a box in {self.space}")
        return self.x0 <= point.x <= self.x1 and self.y0 <= point.y <= self.y1
