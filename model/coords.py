"""Coordinate conventions of vision-language models and how a model's numbers become points.

Models answer in one of a few conventions: relative to the screenshot, 0..1000 on each
axis (Qwen3-VL); relative 0..999 (Qwen3-VL's official mobile notebook, which announces a
999x999 screen); the OSWorld Qwen3-VL agent's mix (it announces 1000x1000 but divides by
999); or pixels of the (resized) image they were shown (Qwen2.5-VL, UI-TARS-1.5). The
convention decides what screen size a prompt announces and which range a coordinate must
fall in; anything outside is rejected so the model can be re-asked, never clamped.
Nothing here depends on a model family's answer format: a family parses its answer into
numbers and hands them to :class:`CoordinateMapper`.
"""

from __future__ import annotations

import math
from enum import StrEnum

from screenpilot.environments.geometry import ScreenGeometry, Size, convert
from screenpilot.tools.errors import CoordinateOutOfRange, ModelOutputError
from screenpilot.tools.points import CoordSpace, Point


class CoordConvention(StrEnum):
    """How a model expresses coordinates."""

    REL1000 = "rel1000"
    REL999 = "rel999"
    OSWORLD = "osworld"
    IMAGE = "image"

    @property
    def space(self) -> CoordSpace:
        """The point space the model's numbers are in."""
        return {
            CoordConvention.REL1000: CoordSpace.REL1000,
            CoordConvention.REL999: CoordSpace.REL999,
            CoordConvention.OSWORLD: CoordSpace.REL999,
            CoordConvention.IMAGE: CoordSpace.IMAGE,
        }[self]

    @property
    def relative(self) -> bool:
        """Whether the numbers are relative to the image (its pixel size never reaches the prompt)."""
        return self is not CoordConvention.IMAGE

    def display_size(self, model_image: Size) -> Size:
        """The screen size a prompt announces to the model.

        ``osworld`` announces 1000x1000 and reads the answer as 0..999, as the OSWorld
        agent does; an answer of exactly 1000 then lies a pixel past the edge and is
        refused by the agent's bounds check rather than moved.
        """
        if self in (CoordConvention.REL1000, CoordConvention.OSWORLD):
            return Size(width=1000, height=1000)
        if self is CoordConvention.REL999:
            return Size(width=999, height=999)
        return model_image


class CoordinateMapper:
    """Turns the numbers in one answer into points the agent can use.

    Args:
        convention: The model's convention.
        observed: Geometry of the observation the agent passed to the policy.
        model_image: Size of the image the model was shown (after the client-side resize).
    """

    def __init__(self, convention: CoordConvention, observed: ScreenGeometry, model_image: Size) -> None:
        self.convention = convention
        self.observed = observed
        self.model_image = model_image
        self.display = convention.display_size(model_image)

    def point(self, value: object, *, what: str = "coordinate") -> Point:
        """Validate ``[x, y]`` and express it in a space the observation relates to.

        Relative points keep their space. Image points are pixels of the resized image,
        so they are converted into pixels of the observation's own screenshot.

        Raises:
            ModelOutputError: When the value is not two numbers or lies outside the range.
        """
        x, y = _pair(value, what)
        if not (0 <= x <= self.display.width and 0 <= y <= self.display.height):
            raise ModelOutputError(
                f"{what} [{x:g}, {y:g}] is outside the screen: x must be within 0..{self.display.width} "
                f"and y within 0..{self.display.height}"
            )
        point = Point(x=x, y=y, space=self.convention.space)
        if self.convention is not CoordConvention.IMAGE or self.model_image == self.observed.image_size:
            return point
        seen = self.observed.resized(self.model_image)
        try:
            unit = convert(point, CoordSpace.REL1000, seen)
            return convert(unit, CoordSpace.IMAGE, self.observed)
        except CoordinateOutOfRange as e:  # unreachable after the check above; kept typed
            raise ModelOutputError(str(e)) from None


MAX_MAGNITUDE = 1e9
"""Numbers beyond this are refused before conversion (no screen is this large)."""


def to_finite(value: object) -> float | None:
    """``value`` as a float when it is a plain finite number (or numeric text) within
    :data:`MAX_MAGNITUDE`; ``None`` otherwise. Never raises: an integer too large for a
    float, ``NaN``, a bool or a list are all just ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) <= MAX_MAGNITUDE else None
    if isinstance(value, float):
        out = value
    elif isinstance(value, str) and len(value) <= 64:
        try:
            out = float(value)
        except ValueError:
            return None
    else:
        return None
    return out if math.isfinite(out) and abs(out) <= MAX_MAGNITUDE else None


def _pair(value: object, what: str) -> tuple[float, float]:
    if isinstance(value, str):
        parts = value[:200].strip("()[] ").replace(",", " ").split()
        value = parts
    shown = _shown(value)
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ModelOutputError(f"{what} must be a list of two numbers [x, y], got {shown}")
    x, y = to_finite(value[0]), to_finite(value[1])
    if x is None or y is None:
        raise ModelOutputError(f"{what} must be a list of two numbers [x, y], got {shown}")
    return x, y


def _shown(value: object, limit: int = 80) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
