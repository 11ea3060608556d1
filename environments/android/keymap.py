"""Canonical key names (screenpilot.tools.keys) and system buttons as Android key codes."""

from __future__ import annotations

import string

from screenpilot.tools.actions import SystemButtonName
from screenpilot.tools.errors import DriverError

SYSTEM_BUTTONS: dict[SystemButtonName, int] = {
    SystemButtonName.BACK: 4,  # KEYCODE_BACK
    SystemButtonName.HOME: 3,  # KEYCODE_HOME
    SystemButtonName.MENU: 82,  # KEYCODE_MENU
    SystemButtonName.ENTER: 66,  # KEYCODE_ENTER
    SystemButtonName.APP_SWITCH: 187,  # KEYCODE_APP_SWITCH
}

_KEYCODES: dict[str, int] = {
    "enter": 66,
    "escape": 111,
    "tab": 61,
    "backspace": 67,  # KEYCODE_DEL deletes backwards
    "delete": 112,  # KEYCODE_FORWARD_DEL
    "insert": 124,
    "space": 62,
    "up": 19,
    "down": 20,
    "left": 21,
    "right": 22,
    "home": 122,  # MOVE_HOME: the keyboard key; the Home *button* is a system_button
    "end": 123,
    "pageup": 92,
    "pagedown": 93,
    "capslock": 115,
    "numlock": 143,
    "scrolllock": 116,
    "printscreen": 120,
    "pause": 121,
    "contextmenu": 82,
    "volumeup": 24,
    "volumedown": 25,
    "volumemute": 164,
    "mediaplaypause": 85,
    "medianext": 87,
    "mediaprev": 88,
    "ctrl": 113,
    "alt": 57,
    "shift": 59,
    "meta": 117,
    "fn": 119,
    "altgr": 58,
    ",": 55,
    ".": 56,
    "/": 76,
    "-": 69,
    "=": 70,
    ";": 74,
    "'": 75,
    "[": 71,
    "]": 72,
    "\\": 73,
    "`": 68,
    "@": 77,
    "+": 81,
    "*": 17,
    "#": 18,
}
_KEYCODES.update({c: 29 + i for i, c in enumerate(string.ascii_lowercase)})
_KEYCODES.update({str(d): 7 + d for d in range(10)})
_KEYCODES.update({f"f{i}": 130 + i for i in range(1, 13)})


def keycode(key: str) -> int:
    """The Android key code of a canonical key name.

    Raises:
        DriverError: For keys Android has no code for (``f13``..``f24``, some symbols).
    """
    if key not in _KEYCODES:
        raise DriverError(f"Android has no key code for {key!r}")
    return _KEYCODES[key]
