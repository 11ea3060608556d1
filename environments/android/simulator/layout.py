"""The view tree of every simulated screen.

One tree drives three things, so they can never disagree: the pixels (``render``), the
``uiautomator dump`` XML (``xmldump``) and which view a tap lands on (``hit_test``).
"""

from __future__ import annotations

from screenpilot.environments.android.simulator import screens
from screenpilot.environments.android.simulator.screens import settings_limits
from screenpilot.environments.android.simulator.state import SimState
from screenpilot.environments.android.simulator.view import DIALOG_PKG, Metrics, Node, Rect

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
    if state.dialog is not None:
        root.children.append(screens.permission_dialog(m))
    return root


def hit_test(root: Node, x: int, y: int, *, dialog_open: bool) -> Node | None:
    """The front-most clickable view under ``(x, y)``; a dialog swallows taps outside it."""
    candidates = [n for n in root.walk() if n.clickable and _inside(n.bounds, x, y)]
    if dialog_open:
        candidates = [n for n in candidates if n.package == DIALOG_PKG]
    return candidates[-1] if candidates else None


def _inside(r: Rect, x: int, y: int) -> bool:
    return r[0] <= x < r[2] and r[1] <= y < r[3]
