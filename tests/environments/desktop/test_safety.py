"""The kill switch (abort file, abort hotkey, fail-safe corner) and pyautogui's globals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.tools.actions import Click, KeyPress, MouseMove, Wait
from screenpilot.tools.errors import Aborted, ActionRejected, ConfigError, EnvTimeout
from screenpilot.tools.points import Point
from tests.environments.desktop.helpers import TkApp

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_abort_file_stops_the_next_action(xvfb: str, tmp_path: Path) -> None:
    flag = tmp_path / "stop"
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_file=flag, abort_hotkey=()))
    try:
        env.execute(MouseMove(at=Point(x=300, y=300)))
        flag.touch()
        with pytest.raises(Aborted, match="abort file"):
            env.execute(MouseMove(at=Point(x=310, y=300)))
    finally:
        env.close()


def test_abort_hotkey_pressed_anywhere_aborts(xvfb: str, child_env: dict[str, str], tk_app: TkApp) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=("ctrl", "alt", "shift", "q")))
    try:
        assert env.abort.hotkey_active, env.abort.hotkey_problem
        env.execute(Click(at=tk_app.center("name")))
        # A person presses the chord on the keyboard: another X client, not the driver.
        subprocess.run(["xdotool", "key", "ctrl+alt+shift+q"], env=child_env, check=True, timeout=10)
        with pytest.raises(Aborted, match="hotkey"):
            env.execute(Wait(seconds=0.0))
        # The grab kept the chord away from the application.
        assert tk_app.state()["chords"] == []
    finally:
        env.close()


def test_abort_hotkey_also_stops_a_long_wait(xvfb: str, child_env: dict[str, str]) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=("ctrl", "alt", "shift", "q")))
    try:
        helper = subprocess.Popen(["sh", "-c", "sleep 0.3; xdotool key ctrl+alt+shift+q"], env=child_env)
        with pytest.raises(Aborted):
            env.execute(Wait(seconds=10))
        helper.wait(timeout=10)
    finally:
        env.close()


def test_failsafe_corner_aborts_and_globals_are_restored(xvfb: str, child_env: dict[str, str]) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, failsafe=True, pause_s=0.0, abort_hotkey=()))
    pg = env.binding.pg
    before = (pg.FAILSAFE, pg.PAUSE, list(pg.FAILSAFE_POINTS))
    try:
        # Targeting the corner itself is refused rather than tripping the next action.
        with pytest.raises(ActionRejected, match="fail-safe"):
            env.execute(Click(at=Point(x=0, y=0)))
        # The user slams the mouse into the top-left corner.
        subprocess.run(["xdotool", "mousemove", "0", "0"], env=child_env, check=True, timeout=10)
        with pytest.raises(Aborted, match="fail-safe"):
            env.execute(KeyPress(keys=("shift",)))
        assert (pg.FAILSAFE, pg.PAUSE, list(pg.FAILSAFE_POINTS)) == before
    finally:
        subprocess.run(["xdotool", "mousemove", "640", "400"], env=child_env, check=True, timeout=10)
        env.close()


def test_failsafe_off_through_config(xvfb: str, child_env: dict[str, str]) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, failsafe=False, abort_hotkey=()))
    try:
        subprocess.run(["xdotool", "mousemove", "0", "0"], env=child_env, check=True, timeout=10)
        env.execute(MouseMove(at=Point(x=200, y=200)))
        assert env.io.position() == (200, 200)
    finally:
        env.close()


def test_action_timeout_raises_env_timeout(xvfb: str) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=()))
    try:
        env.set_action_timeout(0.2)
        with pytest.raises(EnvTimeout):
            env.execute(Wait(seconds=2))
    finally:
        env.close()


def test_monitor_selection_is_validated(xvfb: str) -> None:
    with pytest.raises(ConfigError, match="monitor 3 does not exist"):
        DesktopEnvironment(DesktopConfig(display=xvfb, monitor=3, abort_hotkey=()))
    whole = DesktopEnvironment(DesktopConfig(display=xvfb, monitor=0, abort_hotkey=()))
    try:
        assert whole.observe().screenshot.size == (1280, 800)
    finally:
        whole.close()


def test_unreachable_display_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="start an X server"):
        DesktopEnvironment(DesktopConfig(display=":1777", abort_hotkey=()))
