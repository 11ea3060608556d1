"""Key-name mapping onto pyautogui and the per-platform scale rules."""

from __future__ import annotations

import pytest

from environments.desktop.keymap import pyautogui_key
from environments.desktop.pyautogui_binding import import_pyautogui
from environments.desktop.scale import input_scale, parse_xft_dpi, x11_ui_scale
from tools.errors import DriverError
from tools.keys import CANONICAL_KEYS, normalize_key


@pytest.mark.desktop
def test_every_canonical_key_has_a_pyautogui_name(xvfb: str) -> None:
    pg = import_pyautogui(xvfb)
    unknown = sorted(k for k in CANONICAL_KEYS if pyautogui_key(k) not in pg.KEY_NAMES)
    assert unknown == []


def test_aliases_reach_pyautogui_names_through_the_canonical_set() -> None:
    assert pyautogui_key(normalize_key("Return")) == "enter"
    assert pyautogui_key(normalize_key("Esc")) == "esc"
    assert pyautogui_key(normalize_key("cmd")) == "win"
    assert pyautogui_key(normalize_key("ArrowLeft")) == "left"
    assert pyautogui_key(normalize_key("Menu")) == "apps"
    with pytest.raises(DriverError):
        pyautogui_key("hyper")


def test_input_scale_per_platform() -> None:
    mon = {"left": 0, "top": 0, "width": 1440, "height": 900}
    assert input_scale(mon, 1440, platform="linux") == 1.0
    # A Retina Mac: mss reports points and grabs pixels.
    assert input_scale(mon, 2880, platform="darwin") == 2.0
    assert input_scale(mon, 2880, platform="linux", override=1.5) == 1.5


def test_xft_dpi_gives_the_ui_scale() -> None:
    assert parse_xft_dpi("Xft.antialias:\t1\nXft.dpi:\t192\n") == 192.0
    assert x11_ui_scale("Xft.dpi:\t144") == 1.5
    assert x11_ui_scale(None) == 1.0
    assert parse_xft_dpi("Xft.dpi: lots") is None
