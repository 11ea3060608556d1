"""Measuring what an Android action hit and changed: the UI dump, the activity, the pixels.

Before an action the probe keeps the observation the action was decided on (its
screenshot, UI dump and focused window: no extra device call) and hit-tests the point on
its elements. After the action it compares a fresh screenshot and UI dump: elements that
appeared, went or changed text or state, a new foreground activity, and the screen change
around the point and as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from screenpilot.environments.effects import (
    LOCAL_RADIUS,
    Change,
    Effect,
    Hit,
    screen_change,
    screen_changes,
)
from screenpilot.environments.geometry import to_image
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.actions import Action, points_of
from screenpilot.tools.errors import ActionRejected
from screenpilot.tools.points import CoordSpace, Point

SYSTEM_UI = "com.android.systemui"


@dataclass(frozen=True)
class AndroidBefore:
    """What the probe compares against."""

    obs: Observation
    image_point: tuple[int, int] | None
    hit: Hit | None


def describe(el: UIElement) -> str:
    """``button 'Submit'`` / ``textbox 'Enter your name'`` / ``group#toolbar``."""
    label = el.label.strip()
    return f"{el.role or el.tag} {label[:40]!r}" if label else f"{el.role or el.tag}#{el.id}"


def _hit(obs: Observation, x: int, y: int) -> Hit | None:
    p = Point(x=x, y=y, space=CoordSpace.SCREEN)
    under = [e for e in obs.elements if e.box.contains(p)]
    if not under:
        return None
    clickable = [e for e in under if e.attributes.get("clickable") == "true"] or under
    el = min(clickable, key=lambda e: e.box.width * e.box.height)
    package = el.attributes.get("package", "")
    focused = obs.app or ""
    # a window of another package has the focus (a dialog, a permission prompt): taps on
    # the app underneath go to that window instead
    other = bool(focused and package and package not in (focused, SYSTEM_UI))
    if other:
        return Hit(element=f"the window of {focused}", target=describe(el), covered=True, layer="window")
    return Hit(element=describe(el))


def begin(action: Action, before: Observation) -> AndroidBefore:
    """The baseline of ``action``: its point and the element under it."""
    points = points_of(action)
    image_point = None
    hit = None
    if points:
        try:
            image_point = to_image(points[0], before.geometry)
        except ActionRejected:
            image_point = None
        if image_point is not None and before.elements:
            hit = _hit(before, *image_point)  # image and screen coincide on Android
    return AndroidBefore(obs=before, image_point=image_point, hit=hit)


def _key(el: UIElement) -> tuple[str, str, str]:
    return (el.attributes.get("resource-id", ""), el.role, el.name or el.text)


def ui_changes(old: tuple[UIElement, ...], new: tuple[UIElement, ...]) -> list[Change]:
    """Elements that appeared or went, and text, value and checked changes of the rest."""
    before = {_key(e): e for e in old}
    after = {_key(e): e for e in new}
    added = [e for k, e in after.items() if k not in before]
    gone = [e for k, e in before.items() if k not in after]
    changes: list[Change] = []
    for k, e in after.items():
        was = before.get(k)
        if was is None:
            continue
        if was.checked != e.checked and e.checked is not None:
            changes.append(Change(kind="checked", detail=f"{describe(e)} is {'on' if e.checked else 'off'}"))
        if was.value != e.value and e.value is not None:
            changes.append(Change(kind="value", detail=f"{describe(e)} now holds {e.value[:40]!r}"))
    if added or gone:
        names = ", ".join(describe(e) for e in (added or gone)[:3])
        changes.append(
            Change(kind="ui", detail=f"{len(added)} elements appeared, {len(gone)} went ({names})")
        )
    return changes


def end(before: AndroidBefore, after: Image.Image, now: Observation | None) -> Effect:
    """What changed; ``now`` is a fresh observation without its screenshot decoded again."""
    changes: list[Change] = []
    obs = before.obs
    if now is not None:
        if (now.app, now.title) != (obs.app, obs.title):
            changes.append(Change(kind="activity", detail=f"now {now.app or '?'}/{now.title or '?'}"))
        if now.elements or obs.elements:
            changes.extend(ui_changes(obs.elements, now.elements))
    # the local square is measured in density-independent pixels, as finger targets are
    radius = LOCAL_RADIUS * float(obs.extra.get("dp_scale", 1.0))
    pixels = screen_change(obs.screenshot, after, before.image_point, radius=radius)
    changes.extend(screen_changes(pixels))
    return Effect(hit=before.hit, changes=tuple(changes), screen=pixels)
