"""Settling on cheap samples after real X input, and input without fixed pauses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.settle import samples_differ
from screenpilot.tools.actions import Click, KeyPress, MouseMove
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.desktop.helpers import start_tk_app, stop
from tests.environments.desktop.tk_app import PULSES

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


@pytest.fixture
def defaults(xvfb: str) -> Iterator[DesktopEnvironment]:
    """The driver with its default settings (no abort hotkey: tests grab their own)."""
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=()))
    yield env
    env.close()


def test_a_still_screen_settles_after_one_check(defaults: DesktopEnvironment) -> None:
    defaults.execute(MouseMove(at=Point(x=640, y=400, space=CoordSpace.SCREEN)))
    result = defaults.settle(2.0)
    assert result.stable and result.checks == 1
    assert result.elapsed_s < 0.5


def test_settle_waits_until_a_repainting_window_stops(
    defaults: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path
) -> None:
    app = start_tk_app(child_env, tmp_path, "--pulse")
    try:
        button = app.center("pulse")
        defaults.observe()
        defaults.execute(Click(at=button))
        result = defaults.settle(3.0)
        settled = defaults.capture.grab_frame().sample()
        assert result.stable and result.checks >= 3, result
        # The label repaints for about 150 ms after the click; the wait covered it, and
        # the screen it settled on is the final one.
        assert result.elapsed_s >= 0.12, result
        assert app.wait(lambda s: s["pulses"] == PULSES)
        time.sleep(0.3)
        assert not samples_differ(settled, defaults.capture.grab_frame().sample())
    finally:
        stop(app.proc)


def test_settle_on_endless_animation_is_bounded(
    defaults: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path
) -> None:
    busy = start_tk_app(child_env, tmp_path, "--animate")
    try:
        busy.wait(lambda s: s["pid"] > 0)
        result = defaults.settle(0.4)
        assert not result.stable and result.checks >= 3
        assert 0.4 <= result.elapsed_s < 0.8
    finally:
        stop(busy.proc)


def test_default_input_sleeps_no_fixed_pause(
    defaults: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg = defaults.binding.pg
    pauses: list[float] = []
    slept: list[float] = []
    real_sleep = time.sleep

    def counting_sleep(seconds: float) -> None:
        pauses.append(pg.PAUSE)
        if seconds > 0:
            slept.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", counting_sleep)
    at = Point(x=700, y=420, space=CoordSpace.SCREEN)
    defaults.execute(Click(at=at))
    defaults.execute(KeyPress(keys=("shift", "a")))
    assert slept == [] and set(pauses) <= {0.0}
    defaults.execute(Click(at=at, count=2))
    assert slept == [0.05]  # between the two presses of the double click, not after it
