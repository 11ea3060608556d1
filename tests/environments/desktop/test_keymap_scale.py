"""Key-name mapping onto pyautogui and the per-platform scale rules."""

from __future__ import annotations

import pytest

from screenpilot.environments.desktop.capture import capture_geometry
from screenpilot.environments.desktop.keymap import pyautogui_key
from screenpilot.environments.desktop.pyautogui_binding import import_pyautogui
from screenpilot.environments.desktop.scale import input_scale, parse_xft_dpi, x11_ui_scale
from screenpilot.environments.geometry import to_screen
from screenpilot.tools.errors import DriverError
from screenpilot.tools.keys import CANONICAL_KEYS, normalize_key
from screenpilot.tools.points import CoordSpace, Point


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


def test_capture_geometry_of_an_offset_retina_monitor() -> None:
    """A second monitor at (1440, -200) points whose grab is twice as large (macOS Retina)."""
    mon = {"left": 1440, "top": -200, "width": 1512, "height": 982}
    scale = input_scale(mon, 3024, platform="darwin")
    g = capture_geometry(mon, (3024, 1964), scale)
    assert g.scale_factor == 2.0
    assert (g.offset_x, g.offset_y) == (1440, -200)
    assert (g.logical_size.width, g.logical_size.height) == (1512, 982)
    assert to_screen(Point(x=3024 / 2, y=1964 / 2, space=CoordSpace.IMAGE), g) == (1440 + 756, -200 + 491)


def test_capture_geometry_on_x11_is_one_to_one_with_offsets() -> None:
    mon = {"left": 1920, "top": 0, "width": 2560, "height": 1440}
    g = capture_geometry(mon, (2560, 1440), input_scale(mon, 2560, platform="linux"))
    assert g.scale_factor == 1.0
    assert to_screen(Point(x=0, y=0, space=CoordSpace.REL1000), g) == (1920, 0)
    assert to_screen(Point(x=10, y=20, space=CoordSpace.IMAGE), g) == (1930, 20)
