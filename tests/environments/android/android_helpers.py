"""Small helpers shared by the Android tests."""

from __future__ import annotations

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.points import CoordSpace, Point


def element(obs: Observation, label: str, *, role: str | None = None) -> UIElement:
    """The element whose label (description, text, hint) is ``label``."""
    for el in obs.elements:
        if label in (el.label, el.text, el.name, el.placeholder) and (role is None or el.role == role):
            return el
    raise AssertionError(f"no element {label!r} among {[e.label for e in obs.elements]}")


def rel_center(obs: Observation, el: UIElement) -> Point:
    """The element's centre in Qwen's relative 0..1000 space, as a model would give it."""
    c = el.box.center
    size = obs.geometry.image_size
    return Point(x=c.x / size.width * 1000, y=c.y / size.height * 1000, space=CoordSpace.REL1000)
