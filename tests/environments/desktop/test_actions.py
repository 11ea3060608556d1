"""Real X input on a private Xvfb, checked against the Tk app's own state."""

from __future__ import annotations

import pytest

from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.geometry import convert
from screenpilot.tools.actions import Click, Drag, KeyPress, MouseButton, Scroll, ScrollDirection, TypeText
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.desktop.helpers import TkApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_observation_records_geometry_and_active_window(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    desktop.execute(Click(at=tk_app.center("name")))
    obs = desktop.observe()
    assert obs.platform == "desktop"
    assert obs.screenshot.size == (1280, 800)
    assert (obs.geometry.logical_size.width, obs.geometry.logical_size.height) == (1280, 800)
    assert obs.geometry.scale_factor == 1.0
    assert obs.title == "Screenpilot Tk test app"
    assert obs.app == "Tk"
    # The capture shows the app where the app says it is: its grey background inside the
    # window, the bare black root outside it.
    box = tk_app.state()["boxes"]["submit"]
    assert obs.screenshot.getpixel((box["x"] - 30, box["y"])) != (0, 0, 0)
    assert obs.screenshot.getpixel((1270, 790)) == (0, 0, 0)


def test_click_in_relative_space_and_type_ascii(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    obs = desktop.observe()
    # What a Qwen3-VL answer looks like: relative 0-1000 of the screenshot.
    rel = convert(tk_app.center("name"), CoordSpace.REL1000, obs.geometry)
    desktop.execute(Click(at=Point(x=round(rel.x), y=round(rel.y), space=CoordSpace.REL1000)))
    desktop.execute(TypeText(text="Ada Lovelace, #1 (1815)!"))
    state = tk_app.wait(lambda s: s["name"] == "Ada Lovelace, #1 (1815)!")
    assert state["focus_is"] == "name"


@pytest.mark.parametrize("method", ["xtest", "clipboard"])
def test_type_chinese_and_accents(xvfb: str, tk_app: TkApp, method: str) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, unicode_typing=method, abort_hotkey=()))
    try:
        env.execute(Click(at=tk_app.center("city")))
        env.execute(TypeText(text="北京 上海 café"))
        tk_app.wait(lambda s: s["city"] == "北京 上海 café")
    finally:
        env.close()


def test_long_unicode_text_needs_more_keycodes_than_are_spare(
    desktop: DesktopEnvironment, tk_app: TkApp
) -> None:
    text = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳 Ærøskøbing"
    assert desktop._typer is not None
    assert len(set(text)) > len(desktop._typer._spares())  # several batches
    desktop.execute(Click(at=tk_app.center("name")))
    desktop.execute(TypeText(text=text))
    tk_app.wait(lambda s: s["name"] == text)


def test_checkbox_and_submit_button(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    desktop.execute(Click(at=tk_app.center("name")))
    desktop.execute(TypeText(text="bob"))
    desktop.execute(Click(at=tk_app.center("check")))
    tk_app.wait(lambda s: s["subscribe"] is True)
    desktop.execute(Click(at=tk_app.center("submit")))
    state = tk_app.wait(lambda s: len(s["submits"]) == 1)
    assert state["submits"][0] == {"name": "bob", "city": "", "subscribe": True, "level": 0}


def test_drag_slider_to_a_value(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    s = tk_app.state()
    box, (x0, y0, x100, _) = s["boxes"]["slider"], s["slider_coords"]
    start = Point(x=box["x"] + x0, y=box["y"] + y0)
    end = Point(x=box["x"] + x0 + (x100 - x0) * 0.6, y=box["y"] + y0)
    desktop.execute(Drag(path=(start, end)))
    # Tk handles the motion events after execute() returns: wait for the end value.
    tk_app.wait(lambda s: abs(s["level"] - 60) <= 1)


def test_right_click_menu(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    desktop.execute(Click(at=tk_app.center("target"), button=MouseButton.RIGHT))
    menu = tk_app.wait(lambda s: s["menu"] is not None)["menu"]
    item = menu["Mark done"]
    desktop.execute(Click(at=Point(x=item["x"], y=item["y"])))
    tk_app.wait(lambda s: s["menu_choice"] == "Mark done")


def test_key_chords(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    desktop.execute(Click(at=tk_app.center("name")))
    for keys in (("ctrl", "s"), ("ctrl", "shift", "k"), ("alt", "x"), ("escape",)):
        desktop.execute(KeyPress(keys=keys))
    state = tk_app.wait(lambda s: len(s["chords"]) == 4)
    assert state["chords"] == ["ctrl+s", "ctrl+shift+k", "alt+x", "escape"]


def test_scroll_at_a_point(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    at = tk_app.center("listbox")
    desktop.execute(Scroll(direction=ScrollDirection.DOWN, amount=3, at=at))
    top = tk_app.wait(lambda s: s["list_top"] > 0)["list_top"]
    desktop.execute(Scroll(direction=ScrollDirection.UP, amount=1, at=at))
    tk_app.wait(lambda s: 0 <= s["list_top"] < top)


def test_modifier_held_click_extends_a_selection(desktop: DesktopEnvironment, tk_app: TkApp) -> None:
    s = tk_app.state()
    box, rows = s["boxes"]["listbox"], s["list_rows"]

    def row(i: int) -> Point:
        x, y, _, h = rows[i]
        return Point(x=box["x"] + x + 20, y=box["y"] + y + h / 2)

    desktop.execute(Click(at=row(1)))
    tk_app.wait(lambda s: s["list_selection"] == [1])
    desktop.execute(Click(at=row(4), modifiers=("shift",)))
    tk_app.wait(lambda s: s["list_selection"] == [1, 2, 3, 4])
    desktop.execute(Click(at=row(0), modifiers=("ctrl",)))
    tk_app.wait(lambda s: s["list_selection"] == [0, 1, 2, 3, 4])


def test_double_and_triple_click_select_a_word_and_the_line(
    desktop: DesktopEnvironment, tk_app: TkApp
) -> None:
    desktop.execute(Click(at=tk_app.center("name")))
    desktop.execute(TypeText(text="alpha beta"))
    tk_app.wait(lambda s: s["name"] == "alpha beta")
    box = tk_app.state()["boxes"]["name"]
    first_word = Point(x=box["x"] + 15, y=box["y"] + box["h"] / 2)
    desktop.execute(Click(at=first_word, count=2))
    tk_app.wait(lambda s: s["name_selection"] == [0, 5])
    desktop.execute(Click(at=first_word, count=3))
    tk_app.wait(lambda s: s["name_selection"] == [0, 10])
