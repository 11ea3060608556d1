"""Numbers on the screen for value controls: the value a slider shows and where its track is."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.effects import _element_at
from screenpilot.model.offline.sources import element_role
from screenpilot.tools.points import Box, CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.model.offline.progress import StepState

_NUMBER = re.compile(r"^[\s(]*([-+−]?\d+(?:[.,]\d+)?)[\s)]*$")


def parse_number(text: str) -> float | None:
    """The number ``text`` is ("-5", "−5", "3.5", " 42 "), or ``None``."""
    m = _NUMBER.match(text.replace("−", "-"))
    return float(m.group(1).replace(",", ".")) if m else None


def number_texts(obs: Observation, near: Box, radius: float = 200.0) -> list[tuple[float, UIElement]]:
    """Elements near ``near`` whose whole text is a number, nearest first."""
    out = []
    for e in app_elements(obs):
        if element_role(e) not in ("text", "clickable", "generic", "label", "") and e.tag not in ("span", "div", "output", "label", "p"):
            continue
        value = parse_number(e.text or "")
        if value is None:
            continue
        d = math.hypot(e.box.center.x - near.center.x, e.box.center.y - near.center.y)
        if d <= radius:
            out.append((d, e))
    return sorted(out, key=lambda de: de[0])


def slider_value(obs: Observation, st: StepState) -> float | None:
    """The slider's value now: its own value, else the number shown nearest to it."""
    el = _element_at(obs, st.element, None) if st.element is not None else None
    if el is not None:
        own = parse_number(el.value or "") if el.value is not None else None
        if own is not None:
            return own
    if st.target is None:
        return None
    track = track_box(obs, st)
    shown = number_texts(obs, track or st.target.box)
    return parse_number(shown[0][1].text) if shown else None


def track_box(obs: Observation, st: StepState) -> Box | None:
    """The slider's track: the input itself, or the element around the handle."""
    if st.target is None:
        return None
    handle = st.target.box
    if st.element is not None and st.element.tag == "input":
        return handle
    around = [
        e.box for e in app_elements(obs)
        if e.box.contains(handle.center) and (e.box.width > handle.width * 2 or e.box.height > handle.height * 2)
        and e.box.width * e.box.height < obs.geometry.logical_size.width * obs.geometry.logical_size.height / 3
    ]  # fmt: skip
    return min(around, key=lambda b: b.width * b.height) if around else None


def track_point(obs: Observation, st: StepState, target: float) -> Point | None:
    """Where on the track the value ``target`` lies, from the range read with Home and End."""
    lo, hi = st.data.get("min"), st.data.get("max")
    track = track_box(obs, st)
    if lo is None or hi is None or track is None or hi == lo:
        return None
    f = min(1.0, max(0.0, (target - lo) / (hi - lo)))
    if track.height > track.width:  # vertical: the lowest value is at the bottom
        return Point(x=track.center.x, y=track.y1 - f * track.height, space=CoordSpace.SCREEN)
    return Point(x=track.x0 + f * track.width, y=track.center.y, space=CoordSpace.SCREEN)
