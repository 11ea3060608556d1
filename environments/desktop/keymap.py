"""Canonical key names (screenpilot.tools.keys) onto pyautogui's key names."""

from __future__ import annotations

from screenpilot.tools.errors import DriverError
from screenpilot.tools.keys import CANONICAL_KEYS

# Only names that differ; every other canonical name is also pyautogui's name.
_PYAUTOGUI: dict[str, str] = {
    "meta": "win",
    "altgr": "altright",
    "escape": "esc",
    "contextmenu": "apps",
    "mediaplaypause": "playpause",
    "medianext": "nexttrack",
    "mediaprev": "prevtrack",
}


def pyautogui_key(canonical: str) -> str:
    """pyautogui's name for a canonical key.

    Raises:
        DriverError: For a name outside the canonical set (validation normally catches it).
    """
    if canonical not in CANONICAL_KEYS:
        raise DriverError(f"key {canonical!r} is not a canonical key name")
    return _PYAUTOGUI.get(canonical, canonical)


def pyautogui_keys(keys: tuple[str, ...]) -> list[str]:
    """pyautogui names for a chord, in order."""
    return [pyautogui_key(k) for k in keys]
