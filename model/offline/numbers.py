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
    """Elements near ``near`` whose whole text is a number: on its row first, then nearest."""
    out = []
    for e in app_elements(obs):
        if element_role(e) not in ("text", "clickable", "generic", "label", "") and e.tag not in (
            "span",
            "div",
            "output",
            "label",
            "p",
        ):
            continue
        value = parse_number(e.text or "")
        if value is None:
            continue
        same_row = e.box.y0 < near.y1 and e.box.y1 > near.y0
        dx = max(0.0, e.box.x0 - near.x1, near.x0 - e.box.x1)
        dy = max(0.0, e.box.y0 - near.y1, near.y0 - e.box.y1)
        d = math.hypot(dx, dy) + (0 if same_row else 1000)
        if math.hypot(dx, dy) <= radius:
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
    display = _display(shown, st)
    if display is not None:
        return parse_number(display.text)
    return parse_number(shown[0][1].text) if shown else None


def remember_shown(obs: Observation, st: StepState) -> None:
    """Note the numbers shown near the slider now, to find later the one that follows it."""
    if st.target is None:
        return
    track = track_box(obs, st)
    st.data["shown"] = [(e.box, e.text) for _, e in number_texts(obs, track or st.target.box)]


def _display(shown: list[tuple[float, UIElement]], st: StepState) -> UIElement | None:
    """The number that changed since :func:`remember_shown`: the slider's own display."""
    from screenpilot.tools.perception.templates import iou

    known = st.data.get("display")
    if known is not None:
        return next((e for _, e in shown if iou(e.box, known) > 0.5), None)
    for _, e in shown:
        before = next((t for b, t in st.data.get("shown", []) if iou(b, e.box) > 0.5), None)
        if before is not None and before != e.text:
            st.data["display"] = e.box
            return e
    return None


def track_box(obs: Observation, st: StepState) -> Box | None:
    """The slider's track: the input itself, or the element around the handle."""
    if st.target is None:
        return None
    handle = st.target.box
    if st.element is not None and st.element.tag == "input":
        return handle
    screen = obs.geometry.logical_size.width * obs.geometry.logical_size.height
    around = [
        e.box
        for e in app_elements(obs)
        if e.box.contains(handle.center)
        and (e.box.width > handle.width * 2 or e.box.height > handle.height * 2)
        and e.box.width * e.box.height < screen / 3
    ]
    return min(around, key=lambda b: b.width * b.height) if around else None


def track_point(obs: Observation, st: StepState, target: float) -> Point | None:
    """Where on the track the value ``target`` lies, from the range read with Home and End."""
    lo, hi = st.data.get("min"), st.data.get("max")
    track = track_box(obs, st)
    if lo is None or hi is None or track is None or hi == lo:
        return None
    f = min(1.0, max(0.0, (target - lo) / (hi - lo)))
    if track.height > track.width:  # vertical: the lowest value is at the bottom
        point = Point(x=track.center.x, y=track.y1 - f * track.height, space=CoordSpace.SCREEN)
    else:
        point = Point(x=track.x0 + f * track.width, y=track.center.y, space=CoordSpace.SCREEN)
    st.data["last_point"] = point
    return point


def vertical(obs: Observation, st: StepState) -> bool:
    """Whether the slider's track stands upright."""
    track = track_box(obs, st)
    return track is not None and track.height > track.width


def corrected_point(obs: Observation, st: StepState, target: float, value: float) -> Point | None:
    """A new point on the track, moved from the last click by the value still missing.

    Returns ``None`` once the value is within two steps (the arrow keys finish from there)
    or when the track or range is unknown.
    """
    lo, hi = st.data.get("min"), st.data.get("max")
    track = track_box(obs, st)
    last = st.data.get("last_point")
    if lo is None or hi is None or track is None or hi == lo or abs(target - value) <= 2:
        return None
    if last is None:
        last = track_point(obs, st, value)
        if last is None:
            return None
    span = track.height if track.height > track.width else track.width
    shift = (target - value) / (hi - lo) * span
    if track.height > track.width:
        point = Point(x=last.x, y=min(track.y1, max(track.y0, last.y - shift)), space=CoordSpace.SCREEN)
    else:
        point = Point(x=min(track.x1, max(track.x0, last.x + shift)), y=last.y, space=CoordSpace.SCREEN)
    st.data["last_point"] = point
    return point
