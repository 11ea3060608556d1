"""One canonical set of key names, with the aliases models and people use.

Drivers map canonical names onto their own (pyautogui, Playwright, Android keycodes); the
model side maps whatever a model says onto the canonical names here. Unknown names are
rejected with a message that suggests the closest canonical names, so the model can be
re-asked instead of a driver failing later.
"""

from __future__ import annotations

import difflib
import string
from typing import Annotated

from pydantic import AfterValidator

_NAMED = [
    "ctrl",
    "alt",
    "shift",
    "meta",
    "altgr",
    "fn",
    "enter",
    "escape",
    "tab",
    "backspace",
    "delete",
    "insert",
    "space",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "capslock",
    "numlock",
    "scrolllock",
    "printscreen",
    "pause",
    "contextmenu",
    "volumeup",
    "volumedown",
    "volumemute",
    "mediaplaypause",
    "medianext",
    "mediaprev",
]
_FUNCTION = [f"f{i}" for i in range(1, 25)]
_PRINTABLE = [c for c in string.ascii_lowercase + string.digits + string.punctuation]

CANONICAL_KEYS: frozenset[str] = frozenset(_NAMED + _FUNCTION + _PRINTABLE)
"""Every canonical key name."""

MODIFIERS: frozenset[str] = frozenset({"ctrl", "alt", "shift", "meta", "altgr", "fn"})

_ALIASES: dict[str, str] = {
    "control": "ctrl",
    "ctl": "ctrl",
    "lctrl": "ctrl",
    "rctrl": "ctrl",
    "ctrlleft": "ctrl",
    "ctrlright": "ctrl",
    "leftctrl": "ctrl",
    "rightctrl": "ctrl",
    "controlleft": "ctrl",
    "controlright": "ctrl",
    "option": "alt",
    "opt": "alt",
    "lalt": "alt",
    "ralt": "alt",
    "altleft": "alt",
    "altright": "alt",
    "leftalt": "alt",
    "rightalt": "alt",
    "lshift": "shift",
    "rshift": "shift",
    "shiftleft": "shift",
    "shiftright": "shift",
    "leftshift": "shift",
    "rightshift": "shift",
    "cmd": "meta",
    "command": "meta",
    "super": "meta",
    "win": "meta",
    "windows": "meta",
    "winleft": "meta",
    "winright": "meta",
    "os": "meta",
    "metaleft": "meta",
    "metaright": "meta",
    "lwin": "meta",
    "rwin": "meta",
    "lsuper": "meta",
    "rsuper": "meta",
    "return": "enter",
    "ret": "enter",
    "kpenter": "enter",
    "numpadenter": "enter",
    "esc": "escape",
    "del": "delete",
    "forwarddelete": "delete",
    "bksp": "backspace",
    "backspace_key": "backspace",
    "back_space": "backspace",
    "ins": "insert",
    "spacebar": "space",
    " ": "space",
    "arrowup": "up",
    "arrowdown": "down",
    "arrowleft": "left",
    "arrowright": "right",
    "uparrow": "up",
    "downarrow": "down",
    "leftarrow": "left",
    "rightarrow": "right",
    "up_arrow": "up",
    "down_arrow": "down",
    "left_arrow": "left",
    "right_arrow": "right",
    "pgup": "pageup",
    "pgdn": "pagedown",
    "pgdown": "pagedown",
    "page_up": "pageup",
    "page_down": "pagedown",
    "prior": "pageup",
    "next": "pagedown",
    "caps": "capslock",
    "caps_lock": "capslock",
    "prtsc": "printscreen",
    "prtscr": "printscreen",
    "print": "printscreen",
    "print_screen": "printscreen",
    "snapshot": "printscreen",
    "menu": "contextmenu",
    "apps": "contextmenu",
    "application": "contextmenu",
    "plus": "+",
    "minus": "-",
    "comma": ",",
    "period": ".",
    "dot": ".",
    "slash": "/",
    "backslash": "\\",
    "semicolon": ";",
    "quote": "'",
    "apostrophe": "'",
    "backquote": "`",
    "grave": "`",
    "equal": "=",
    "equals": "=",
    "bracketleft": "[",
    "bracketright": "]",
    "leftbracket": "[",
    "rightbracket": "]",
}


class UnknownKeyError(ValueError):
    """A key name that is neither canonical nor a known alias."""


def normalize_key(name: str) -> str:
    """Map a key name or alias onto the canonical set.

    Args:
        name: A key as a model or a person writes it: ``"Ctrl"``, ``"Return"``, ``"cmd"``,
            ``"ArrowLeft"``, ``"F5"``, ``"a"``.

    Returns:
        The canonical name.

    Raises:
        UnknownKeyError: When the name is not a key; the message lists close matches.
    """
    if not isinstance(name, str) or name == "":
        raise UnknownKeyError("a key name must be a non-empty string")
    if len(name) == 1:
        lowered = name.lower()
        if lowered in CANONICAL_KEYS:
            return lowered
        if name == " ":
            return "space"
    compact = name.strip().lower().replace("-", "").replace(" ", "")
    if compact in CANONICAL_KEYS:
        return compact
    if compact in _ALIASES:
        return _ALIASES[compact]
    if compact.startswith("key") and len(compact) == 4 and compact[3] in CANONICAL_KEYS:
        return compact[3]  # DOM-style codes: "KeyA"
    if compact.startswith("digit") and len(compact) == 6 and compact[5].isdigit():
        return compact[5]
    close = difflib.get_close_matches(compact, sorted(CANONICAL_KEYS | set(_ALIASES)), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownKeyError(f"unknown key {name!r}{hint}")


def split_combo(combo: str) -> list[str]:
    """Split ``"ctrl+shift+t"`` (or ``"ctrl-c"``) into canonical key names."""
    text = combo.strip()
    if len(text) == 1:
        return [normalize_key(text)]
    parts = [p for p in text.replace(" ", "").split("+") if p]
    if len(parts) == 1 and "-" in text[1:]:
        head, _, tail = text.partition("-")
        if normalize_key_or_none(head) in MODIFIERS:
            parts = [head, tail]
    if text.endswith("++"):
        parts.append("+")
    return [normalize_key(p) for p in parts]


def normalize_key_or_none(name: str) -> str | None:
    """Like :func:`normalize_key` but returns ``None`` for unknown names."""
    try:
        return normalize_key(name)
    except UnknownKeyError:
        return None


def _validate(name: str) -> str:
    return normalize_key(name)


Key = Annotated[str, AfterValidator(_validate)]
"""A key name, normalised to the canonical set on validation."""
