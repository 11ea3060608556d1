"""What an action changed: the evidence a step needs to count as done.

Where the environment measures effects (``environments/effects.py``: the browser, the
desktop, Android), the agent hands the policy each action's :class:`~environments.effects.Effect`
and that measure is the reference: a navigation, a new tab, a JavaScript dialog, a download,
a value or checked state that changed, a scroll. The new observation then says what the
action did in the app's terms: the target's own state (checked, selected, value, expanded,
class), elements that appeared or went away (a dialog closed, a menu opened). Pixels count
only when the driver saw activity (DOM mutations, a screen change), so a page's own timer
or animation elsewhere is not taken for the action's effect. Environments that measure
nothing are read from the two observations alone: the URL, title and tabs, the elements,
and the pixels around the target or over the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from screenpilot.environments.effects import Change, ChangeKind, Effect
from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.sources import element_role
from screenpilot.tools.perception.templates import iou
from screenpilot.tools.points import Box, CoordSpace

_STATE_ATTRS = ("aria-expanded", "class", "focused", "scroll", "aria-selected", "aria-pressed")
_CHANGED_LEVEL = 40
"""A pixel counts as changed when its grey level moved by more than this (0..255)."""
_CHANGED_PIXELS = 12
"""Changed pixels near the target that make a change: a tick mark, a caret moving."""
_CHANGED_ELSEWHERE = 80
"""Changed pixels away from the target that make a change (its own hover or focus ring does not)."""
_DECISIVE: frozenset[ChangeKind] = frozenset(
    {"url", "tab", "dialog", "download", "title", "checked", "value", "scroll", "window", "activity"}
)
"""Changes the driver reports that are an effect by themselves."""
_ACTIVITY: frozenset[ChangeKind] = frozenset({"dom", "ui", "screen"})
"""Changes that say something moved, not that it was the action's doing."""
_REACHED = "the click reached it (it took the focus)"


@dataclass(frozen=True)
class Snapshot:
    """The parts of an observation effects are read from."""

    url: str | None
    title: str | None
    tabs: int
    labels: frozenset[tuple[str, str]]
    target: UIElement | None
    grey: np.ndarray | None
    around: np.ndarray | None
    has_elements: bool


def _grey(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> np.ndarray:
    region = image.crop(box) if box else image
    return np.asarray(region.convert("L"), dtype=np.int16)


def _differs_outside(a: np.ndarray | None, b: np.ndarray | None, box: Box | None, obs: Observation) -> bool:
    """Whether pixels changed away from ``box`` (the acted-on element's own look does not count)."""
    if a is None or b is None or a.shape != b.shape:
        return False
    moved = np.abs(a - b) > _CHANGED_LEVEL
    if box is not None:
        ib = box_to_space(box, CoordSpace.IMAGE, obs.geometry)
        pad = 4
        moved[
            max(0, int(ib.y0) - pad) : max(0, int(ib.y1) + pad),
            max(0, int(ib.x0) - pad) : max(0, int(ib.x1) + pad),
        ] = False
    limit = _CHANGED_ELSEWHERE if box is not None else _CHANGED_PIXELS
    return int(moved.sum()) >= limit


def _differs(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None or a.shape != b.shape:
        return False
    return int((np.abs(a - b) > _CHANGED_LEVEL).sum()) >= _CHANGED_PIXELS


def _element_at(obs: Observation, like: UIElement | None, box: Box | None) -> UIElement | None:
    """The element of ``obs`` that is ``like`` (same kind, same place) or the one at ``box``."""
    ref = like.box if like is not None else box
    if ref is None:
        return None
    best, best_iou = None, 0.5
    for el in obs.elements:
        if like is not None and (el.tag != like.tag or element_role(el) != element_role(like)):
            continue
        overlap = iou(el.box, ref)
        if overlap > best_iou:
            best, best_iou = el, overlap
    return best


def snapshot(obs: Observation, target: UIElement | None = None, box: Box | None = None) -> Snapshot:
    """What to compare later: page facts, visible labels, the target's element and pixels."""
    elements = app_elements(obs)
    labels = frozenset((element_role(e), e.label[:60]) for e in elements if e.label)
    around = None
    if box is not None:
        pad = 40
        padded = box.model_copy(
            update={"x0": box.x0 - pad, "y0": box.y0 - pad, "x1": box.x1 + pad, "y1": box.y1 + pad}
        )
        b = box_to_space(padded, CoordSpace.IMAGE, obs.geometry)
        w, h = obs.screenshot.size
        crop = (max(0, int(b.x0)), max(0, int(b.y0)), min(w, int(b.x1)), min(h, int(b.y1)))
        if crop[2] > crop[0] + 2 and crop[3] > crop[1] + 2:
            around = _grey(obs.screenshot, crop)
    return Snapshot(
        url=obs.url,
        title=obs.title,
        tabs=len(obs.tabs),
        labels=labels,
        target=target if target is not None else _element_at(obs, None, box),
        grey=_grey(obs.screenshot),
        around=around,
        has_elements=bool(elements),
    )


def changed(
    before: Snapshot,
    after: Observation,
    box: Box | None = None,
    *,
    pixels: bool = True,
    reported: tuple[Effect, ...] | None = None,
) -> str | None:
    """A short description of what changed since ``before``, or ``None`` when nothing did.

    ``reported`` are the effects the environment measured for the actions in between
    (``None`` where it measures none). ``pixels=False`` counts only changes of the page
    and its elements (a hover image swapping is no evidence that a menu opened).
    """
    if reported is not None:
        return _measured(before, after, box, reported, pixels=pixels)
    if after.url != before.url:
        return f"the page changed to {after.url}"
    if len(after.tabs) != before.tabs:
        return "a tab opened" if len(after.tabs) > before.tabs else "a tab closed"
    if after.title != before.title:
        return f"the title changed to {after.title!r}"
    state = _target_change(before.target, after)
    if state:
        return state
    now = snapshot(after, box=box)
    appeared = now.labels - before.labels
    gone = before.labels - now.labels
    if appeared or gone:
        return _listing(appeared, gone)
    if not pixels and before.has_elements:
        return None
    if not before.has_elements and _differs(before.around, now.around):
        # with no element tree, pixels are the evidence (a tick drawn in a box); with one, a
        # control's own hover look is no effect, and its real changes show in the tree
        return "the area around it changed"
    if _differs_outside(before.grey, now.grey, box, after):
        return "the screen changed"
    return None


def _measured(
    before: Snapshot, after: Observation, box: Box | None, reported: tuple[Effect, ...], *, pixels: bool
) -> str | None:
    """What changed, with the environment's own measure of the actions as the reference."""
    changes = [c for e in reported for c in e.changes]
    decisive = [c for c in changes if c.kind in _DECISIVE]
    if decisive:
        return _said(decisive)
    state = _target_change(before.target, after)
    if state and state != _REACHED:
        return state
    now = snapshot(after, box=box)
    appeared, gone = now.labels - before.labels, before.labels - now.labels
    if appeared or gone:
        return _listing(appeared, gone)
    activity = [c for c in changes if c.kind in _ACTIVITY]
    if activity and (
        not before.has_elements or (pixels and _differs_outside(before.grey, now.grey, box, after))
    ):
        return _said(activity)
    if state or any(c.kind == "focus" for c in changes):
        return _REACHED
    return None


def _said(changes: list[Change]) -> str:
    """The environment's words for the first changes (``changed: url to https://…``)."""
    seen: list[str] = []
    for c in changes:
        line = f"{c.kind} {c.detail}" if c.detail else c.kind
        if line not in seen:
            seen.append(line)
    return "changed: " + ", ".join(seen[:2])


def _target_change(old: UIElement | None, after: Observation) -> str | None:
    if old is None:
        return None
    new = _element_at(after, old, None)
    if new is None:
        return f"{element_role(old) or old.tag} {old.label[:30]!r} went away"
    if new.checked != old.checked:
        return f"{new.label[:30] or new.tag!r} is now {'checked' if new.checked else 'unchecked'}"
    if new.selected != old.selected:
        return f"{new.label[:30] or new.tag!r} is now {'selected' if new.selected else 'not selected'}"
    if new.value != old.value:
        return f"its value is now {new.value!r}" if element_role(new) != "textbox" else "its text changed"
    for attr in _STATE_ATTRS:
        if new.attributes.get(attr) != old.attributes.get(attr):
            # taking the focus shows the click reached the control (a covered one never
            # gets it), not that the app reacted: said as such in the trajectory
            return f"its {attr} changed" if attr != "focused" else _REACHED
    return None


def _listing(appeared: frozenset[tuple[str, str]], gone: frozenset[tuple[str, str]]) -> str:
    parts = []
    if appeared:
        shown = ", ".join(repr(label[:24]) for _, label in sorted(appeared)[:3])
        parts.append(f"{len(appeared)} item(s) appeared ({shown})")
    if gone:
        shown = ", ".join(repr(label[:24]) for _, label in sorted(gone)[:3])
        parts.append(f"{len(gone)} went away ({shown})")
    return "; ".join(parts)


def covered_by(el: UIElement | None) -> str | None:
    """What covers ``el`` (the collector's hit test), when something does."""
    if el is None:
        return None
    return el.attributes.get("covered-by") or None
