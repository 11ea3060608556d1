"""Every action through the real adbutils client against the simulator, checked on ground truth."""

from __future__ import annotations

import pytest
from android_helpers import element, rel_center

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.environments.observation import image_digest
from screenpilot.tools.actions import (
    Click,
    KeyPress,
    LongPress,
    MouseButton,
    OpenApp,
    Scroll,
    ScrollDirection,
    Swipe,
    SystemButton,
    SystemButtonName,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import CoordinateOutOfRange, DriverError, EnvTimeout
from screenpilot.tools.points import CoordSpace, Point

pytestmark = pytest.mark.android


def test_observe_reports_screen_app_density_and_elements(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    obs = env.reset()
    assert obs.platform == "android"
    assert obs.screenshot.size == (720, 1600)
    assert obs.geometry.image_size == obs.geometry.logical_size
    assert obs.app == "com.android.launcher3"
    assert obs.extra["density"] == 320 and obs.extra["dp_scale"] == 2.0
    assert obs.extra["rotation"] == 0 and obs.extra["orientation"] == "portrait"
    assert obs.extra["serial"] == sim.serial
    icon = element(obs, "Settings")
    assert icon.attributes["clickable"] == "true"
    # the icon's pixels really are where its bounds say: the icon tile is not background
    c = icon.box.center
    assert obs.screenshot.getpixel((int(c.x), int(icon.box.y0) + 40)) != obs.screenshot.getpixel((5, 700))


def test_png_and_raw_screenshots_agree(sim: AdbSimulator, make_env) -> None:  # type: ignore[no-untyped-def]
    raw = make_env(sim, screenshot="raw").screenshot()
    png = make_env(sim, screenshot="png").screenshot()
    assert image_digest(raw) == image_digest(png)


def test_click_in_relative_coordinates_opens_settings(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    obs = env.reset()
    icon = element(obs, "Settings")
    result = env.execute(Click(at=rel_center(obs, icon)))
    assert result.ok
    assert sim.device.state.screen == "settings"
    c = icon.box.center
    assert f"tap {round(c.x)} {round(c.y)}" in sim.device.state.events
    assert env.observe().app == "com.android.settings"


def test_double_click_taps_twice_and_right_click_is_refused(
    sim: AdbSimulator, env: AndroidEnvironment
) -> None:
    obs = env.reset()
    clock = rel_center(obs, element(obs, "Clock"))
    env.execute(Click(at=clock, count=2))
    assert sum(e.startswith("tap ") for e in sim.device.state.events) == 2
    with pytest.raises(DriverError):
        env.execute(Click(at=clock, button=MouseButton.RIGHT))


def test_toggle_switch_and_swipe_scroll_the_settings_list(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    env.execute(OpenApp(name="com.android.settings"))
    obs = env.observe()
    switch = element(obs, "Bluetooth", role="switch")
    assert switch.checked is False
    env.execute(Click(at=switch.box.center))
    assert sim.device.state.toggles["bluetooth"] is True
    assert element(env.observe(), "Bluetooth", role="switch").checked is True

    assert "About phone" not in {e.text for e in obs.elements}
    env.execute(Swipe(start=Point(x=360, y=1300), end=Point(x=360, y=300), duration_ms=400))
    assert "swipe 360 1300 360 300 400" in sim.device.state.events
    about = element(env.observe(), "About phone")
    env.execute(Scroll(direction=ScrollDirection.UP, amount=10))
    assert sim.device.state.scroll["settings"] < 1000
    env.execute(Scroll(direction=ScrollDirection.DOWN, amount=10))
    env.execute(Click(at=element(env.observe(), "About phone").box.center))
    assert sim.device.state.screen == "about"
    assert about.role == "text"


def test_long_press_selects_the_field_so_typing_replaces_it(
    sim: AdbSimulator, env: AndroidEnvironment
) -> None:
    env.reset()
    env.execute(OpenApp(name="Form"))
    name = element(env.observe(), "Enter your name")
    env.execute(Click(at=name.box.center))
    env.execute(TypeText(text="first"))
    env.execute(LongPress(at=name.box.center, seconds=0.6))
    c = name.box.center
    assert f"swipe {round(c.x)} {round(c.y)} {round(c.x)} {round(c.y)} 600" in sim.device.state.events
    assert sim.device.state.select_all
    env.execute(TypeText(text="second"))
    assert sim.device.state.fields["name"] == "second"


def test_type_clear_first_and_submit(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    env.execute(OpenApp(name="Form"))
    obs = env.observe()
    env.execute(Click(at=element(obs, "Enter your name").box.center))
    env.execute(TypeText(text="Grace"))
    env.execute(Click(at=element(obs, "Say something").box.center))
    env.execute(TypeText(text="draft"))
    env.execute(TypeText(text="Hello there", clear_first=True, submit=True))
    assert sim.device.state.submitted == [{"name": "Grace", "message": "Hello there"}]
    assert element(env.observe(), "Submitted: Grace").role == "text"


def test_keys_and_chords(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    env.execute(OpenApp(name="Form"))
    env.execute(Click(at=element(env.observe(), "Enter your name").box.center))
    env.execute(TypeText(text="abc"))
    env.execute(KeyPress(keys=("backspace",)))
    assert sim.device.state.fields["name"] == "ab"
    env.execute(KeyPress(keys=("x",)))
    assert sim.device.state.fields["name"] == "abx"
    env.execute(KeyPress(keys=("ctrl", "a")))
    assert "keycombination 113 29" in sim.device.state.events
    env.execute(KeyPress(keys=("backspace",)))
    assert sim.device.state.fields["name"] == ""
    with pytest.raises(DriverError):
        env.execute(KeyPress(keys=("f20",)))


@pytest.mark.parametrize(
    ("button", "code"),
    [("back", 4), ("home", 3), ("menu", 82), ("enter", 66), ("app_switch", 187)],
)
def test_system_buttons_send_their_key_codes(
    sim: AdbSimulator, env: AndroidEnvironment, button: str, code: int
) -> None:
    env.reset()
    env.execute(OpenApp(name="Clock"))
    env.execute(SystemButton(button=SystemButtonName(button)))
    assert sim.device.state.events[-1] == f"key {code}"
    expected = {"back": "launcher", "home": "launcher", "app_switch": "recents"}.get(button, "clock")
    assert sim.device.state.screen == expected


def test_open_app_by_package_label_launcher_icon_and_package_tail(
    sim: AdbSimulator, env: AndroidEnvironment
) -> None:
    env.reset()
    assert "opened com.example.camera" in env.execute(OpenApp(name="Camera")).message  # label from pm
    assert sim.device.state.dialog == "camera"  # first launch asks for the permission
    assert "launcher icon" in env.execute(OpenApp(name="form")).message  # label only on the launcher
    assert sim.device.state.screen == "form"
    env.execute(OpenApp(name="deskclock"))  # package name tail
    assert sim.device.state.screen == "clock"
    env.execute(OpenApp(name="com.android.settings"))
    assert sim.device.state.screen == "settings"
    with pytest.raises(DriverError, match="no app called"):
        env.execute(OpenApp(name="Spreadsheet"))


def test_permission_dialog_blocks_taps_until_answered(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    sim.device.show_permission_dialog()
    obs = env.observe()
    assert obs.app == "com.google.android.permissioncontroller"
    env.execute(Click(at=element(obs, "Settings").box.center))  # under the scrim: swallowed
    assert sim.device.state.screen == "launcher"
    env.execute(Click(at=element(obs, "Don't allow", role="button").box.center))
    assert sim.device.state.dialog is None and sim.device.state.permissions["camera"] == "denied"


def test_rotation_swaps_the_screen_space(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    sim.device.set_rotation(1)
    obs = env.observe()
    assert obs.screenshot.size == (1600, 720)
    assert obs.extra["orientation"] == "landscape" and obs.extra["rotation"] == 90
    env.execute(Click(at=element(obs, "Clock").box.center))
    assert sim.device.state.screen == "clock"


def test_wait_out_of_range_points_and_timeouts(make_sim, make_env) -> None:  # type: ignore[no-untyped-def]
    sim = make_sim(time_scale=1.0)
    env = make_env(sim)
    env.reset()
    assert env.execute(Wait(seconds=0.05)).ok
    with pytest.raises(CoordinateOutOfRange):
        env.execute(Click(at=Point(x=1200, y=10, space=CoordSpace.REL1000)))
    env.set_action_timeout(0.3)
    with pytest.raises(EnvTimeout):
        env.execute(LongPress(at=Point(x=10, y=900), seconds=2.0))
    env.set_action_timeout(10)
    assert env.observe().app == "com.android.launcher3"
