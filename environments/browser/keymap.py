"""Canonical key names (screenpilot.tools.keys) to Playwright key names."""

from __future__ import annotations

import string

from screenpilot.tools.errors import DriverError

_NAMED: dict[str, str] = {
    "ctrl": "Control",
    "alt": "Alt",
    "shift": "Shift",
    "meta": "Meta",
    "altgr": "AltGraph",
    "enter": "Enter",
    "escape": "Escape",
    "tab": "Tab",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
    "space": "Space",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "capslock": "CapsLock",
    "numlock": "NumLock",
    "scrolllock": "ScrollLock",
    "printscreen": "PrintScreen",
    "pause": "Pause",
    "contextmenu": "ContextMenu",
    "volumeup": "AudioVolumeUp",
    "volumedown": "AudioVolumeDown",
    "volumemute": "AudioVolumeMute",
    "mediaplaypause": "MediaPlayPause",
    "medianext": "MediaTrackNext",
    "mediaprev": "MediaTrackPrevious",
}
_FUNCTION = {f"f{i}": f"F{i}" for i in range(1, 13)}


def playwright_key(canonical: str) -> str:
    """The Playwright name of a canonical key.

    Letters and digits map to their physical keys (``KeyA``, ``Digit1``) so that held
    modifiers apply as on a real keyboard (``shift`` + ``a`` types ``A``).

    Raises:
        DriverError: For keys a browser page cannot receive (``fn``, ``f13``..``f24``).
    """
    if canonical in _NAMED:
        return _NAMED[canonical]
    if canonical in _FUNCTION:
        return _FUNCTION[canonical]
    if len(canonical) == 1:
        if canonical in string.ascii_lowercase:
            return f"Key{canonical.upper()}"
        if canonical in string.digits:
            return f"Digit{canonical}"
        return canonical
    raise DriverError(f"the browser cannot press {canonical!r}")
