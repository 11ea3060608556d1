"""Android key codes the simulator understands (values from android.view.KeyEvent)."""

from __future__ import annotations

import string

NAMED: dict[str, int] = {
    "HOME": 3,
    "BACK": 4,
    "DPAD_UP": 19,
    "DPAD_DOWN": 20,
    "DPAD_LEFT": 21,
    "DPAD_RIGHT": 22,
    "VOLUME_UP": 24,
    "VOLUME_DOWN": 25,
    "POWER": 26,
    "TAB": 61,
    "SPACE": 62,
    "ENTER": 66,
    "DEL": 67,
    "MENU": 82,
    "SEARCH": 84,
    "PAGE_UP": 92,
    "PAGE_DOWN": 93,
    "ESCAPE": 111,
    "FORWARD_DEL": 112,
    "CTRL_LEFT": 113,
    "MOVE_HOME": 122,
    "MOVE_END": 123,
    "APP_SWITCH": 187,
    "PASTE": 279,
}
NAMED.update({c: 29 + i for i, c in enumerate(string.ascii_uppercase)})
NAMED.update({str(d): 7 + d for d in range(10)})

CHARS: dict[int, str] = {29 + i: c for i, c in enumerate(string.ascii_lowercase)}
CHARS.update({7 + d: str(d) for d in range(10)})
CHARS[62] = " "


def parse_keycode(token: str) -> int | None:
    """``"66"``, ``"ENTER"`` or ``"KEYCODE_ENTER"`` -> 66; unknown -> ``None``."""
    if token.isdigit():
        return int(token)
    name = token.upper().removeprefix("KEYCODE_")
    return NAMED.get(name)
