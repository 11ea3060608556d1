"""Measuring what a desktop action hit and changed: windows and pixels.

Before an action the probe keeps the screenshot the action was decided on, the action's
point and the open windows (no extra capture). After it settled it compares a fresh frame
(the settle wait's last one when it is recent) around the point and as a whole, and lists
windows that opened or closed and a change of the active window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from screenpilot.environments.desktop.windows import WindowInfo
from screenpilot.environments.effects import (
    LOCAL_RADIUS,
    Change,
    Effect,
    Hit,
    screen_change,
    screen_changes,
)
from screenpilot.environments.geometry import ScreenGeometry, to_image, to_screen
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action, points_of
from screenpilot.tools.errors import ActionRejected


@dataclass(frozen=True)
class DesktopBefore:
    """What the probe compares against."""

    image: Image.Image
    geometry: ScreenGeometry
    image_point: tuple[int, int] | None
    windows: tuple[WindowInfo, ...]
    active: str | None
    hit: Hit | None


def window_at(windows: tuple[WindowInfo, ...], x: int, y: int) -> WindowInfo | None:
    """The topmost window containing the root-window point (``windows`` bottom to top)."""
    return next((w for w in reversed(windows) if w.contains(x, y)), None)


def begin(
    action: Action, before: Observation, windows: tuple[WindowInfo, ...], active: str | None
) -> DesktopBefore:
    """The baseline of ``action``: its point, the window under it, the windows open now."""
    points = points_of(action)
    image_point = screen_point = None
    if points:
        try:
            image_point = to_image(points[0], before.geometry)
            screen_point = to_screen(points[0], before.geometry)
        except ActionRejected:
            image_point = screen_point = None
    hit = None
    if screen_point is not None and windows:
        under = window_at(windows, *screen_point)
        if under is not None:
            dialog = "dialog window" if under.transient_for else ""
            hit = Hit(element=f"window {under.title or under.wm_class!r}", layer=dialog)
        else:
            hit = Hit(element="the desktop background")
    return DesktopBefore(
        image=before.screenshot,
        geometry=before.geometry,
        image_point=image_point,
        windows=windows,
        active=active,
        hit=hit,
    )


def end(
    before: DesktopBefore, after: Image.Image, windows: tuple[WindowInfo, ...], active: str | None
) -> Effect:
    """What changed: windows opened or closed, the active window, the pixels."""
    changes: list[Change] = []
    old = {w.id: w for w in before.windows}
    new = {w.id: w for w in windows}
    for wid, w in new.items():
        if wid not in old:
            changes.append(Change(kind="window", detail=f"window {w.title or w.wm_class!r} opened"))
    for wid, w in old.items():
        if wid not in new:
            changes.append(Change(kind="window", detail=f"window {w.title or w.wm_class!r} closed"))
    if active != before.active and active is not None:
        changes.append(Change(kind="window", detail=f"the active window is now {active!r}"))
    g = before.geometry
    radius = LOCAL_RADIUS * g.image_size.width / max(1, g.logical_size.width)
    pixels = screen_change(before.image, after, before.image_point, radius=radius)
    changes.extend(screen_changes(pixels))
    return Effect(hit=before.hit, changes=tuple(changes), screen=pixels)
