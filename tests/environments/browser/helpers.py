"""Small helpers shared by the browser tests."""

from __future__ import annotations

from collections.abc import Callable

from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.points import CoordSpace, Point


def find(obs: Observation, pred: Callable[[UIElement], bool]) -> UIElement:
    hits = [e for e in obs.elements if pred(e)]
    assert hits, f"no element matched; have {[(e.id, e.role, e.label) for e in obs.elements]}"
    return hits[0]


def by_attr_id(obs: Observation, dom_id: str) -> UIElement:
    return find(obs, lambda e: e.attributes.get("id") == dom_id)


def point_in(obs: Observation, element: UIElement, space: CoordSpace = CoordSpace.IMAGE) -> Point:
    """The element's centre in ``space`` (as a model would give it, from the screenshot)."""
    return box_to_space(element.box, space, obs.geometry).center
