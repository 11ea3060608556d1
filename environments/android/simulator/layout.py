"""The view tree of every simulated screen.

One tree drives three things, so they can never disagree: the pixels (``render``), the
``uiautomator dump`` XML (``xmldump``) and which view a tap lands on (``hit_test``).
"""

from __future__ import annotations

from screenpilot.environments.android.simulator import dialogs, screens
from screenpilot.environments.android.simulator.catalog import app_by_package
from screenpilot.environments.android.simulator.screens import settings_limits
from screenpilot.environments.android.simulator.state import SimState
from screenpilot.environments.android.simulator.view import ANR_PKG, DIALOG_PKG, Metrics, Node, Rect

__all__ = [
    "SCREEN_ACTIVITIES",
    "SCREEN_PACKAGES",
    "Metrics",
    "Node",
    "Rect",
    "build",
    "hit_test",
    "settings_limits",
]

SCREEN_PACKAGES: dict[str, str] = {
    "launcher": "com.android.launcher3",
    "recents": "com.android.launcher3",
    "settings": "com.android.settings",
    "about": "com.android.settings",
    "form": "com.example.form",
    "camera": "com.example.camera",
    "clock": "com.android.deskclock",
}
SCREEN_ACTIVITIES: dict[str, str] = {
    "launcher": "com.android.launcher3/.Launcher",
    "recents": "com.android.launcher3/com.android.quickstep.RecentsActivity",
    "settings": "com.android.settings/.Settings",
    "about": "com.android.settings/.SubSettings",
    "form": "com.example.form/.FormActivity",
    "camera": "com.example.camera/.CameraActivity",
    "clock": "com.android.deskclock/.DeskClock",
}


def build(state: SimState, width: int, height: int) -> Node:
    """The full tree for the current state."""
    m = Metrics(width, height)
    screen = state.screen
    pkg = SCREEN_PACKAGES[screen]
    root = Node("android.widget.FrameLayout", pkg, (0, 0, width, height), style="bg", color=(250, 250, 250))
    root.children.extend(screens.BUILDERS[screen](state, m, pkg))
    root.children.extend(screens.system_bars(m))
    if state.dialog == "anr":
        app = app_by_package(pkg)
        root.children.append(dialogs.anr_dialog(m, app.label if app is not None else pkg))
    elif state.dialog is not None:
        root.children.append(dialogs.permission_dialog(m))
    return root


def dialog_package(dialog: str | None) -> str | None:
    """The package of the dialog ``dialog`` (``SimState.dialog``), ``None`` when none is open."""
    if dialog is None:
        return None
    return ANR_PKG if dialog == "anr" else DIALOG_PKG


def hit_test(root: Node, x: int, y: int, *, dialog: str | None) -> Node | None:
    """The front-most clickable view under ``(x, y)``; an open dialog swallows taps outside it."""
    candidates = [n for n in root.walk() if n.clickable and _inside(n.bounds, x, y)]
    owner = dialog_package(dialog)
    if owner is not None:
        candidates = [n for n in candidates if n.package == owner]
    return candidates[-1] if candidates else None


def _inside(r: Rect, x: int, y: int) -> bool:
    return r[0] <= x < r[2] and r[1] <= y < r[3]
