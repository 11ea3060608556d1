"""One screen grab and one window query per agent step on a real X server: readings taken
since the last input are handed on, and input or age makes the driver read again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from screenpilot.agent.act import Actor
from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.desktop.fresh import REUSE_S
from screenpilot.tools.actions import Click, MouseMove
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.desktop.helpers import start_tk_app, stop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

F = TypeVar("F", bound=Callable[..., Any])


class Calls:
    """Counts the calls of the driver's real grab and window query."""

    def __init__(self, env: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
        self.grabs = self.queries = 0
        assert env.windows is not None
        monkeypatch.setattr(env.capture, "grab_frame", self._count(env.capture.grab_frame, "grabs"))
        monkeypatch.setattr(env.windows, "state", self._count(env.windows.state, "queries"))

    def _count(self, fn: F, name: str) -> F:
        def counted(*args: Any, **kwargs: Any) -> Any:
            setattr(self, name, getattr(self, name) + 1)
            return fn(*args, **kwargs)

        return counted  # type: ignore[return-value]


@pytest.fixture(params=[True, False], ids=["events", "sampling"])
def env(
    xvfb: str, child_env: dict[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[DesktopEnvironment]:
    app = start_tk_app(child_env, tmp_path)
    app.wait(lambda s: s["pid"] > 0)
    driver = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=(), settle_events=request.param))
    try:
        yield driver
    finally:
        driver.close()
        stop(app.proc)


def test_a_step_grabs_for_its_settle_wait_only_and_queries_the_windows_once(
    env: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Calls(env, monkeypatch)
    obs = env.observe()
    assert (calls.grabs, calls.queries) == (1, 1)
    acted = Actor(env).act(
        MouseMove(at=Point(x=30, y=760, space=CoordSpace.SCREEN)), obs, settle_timeout_s=2.0
    )
    assert acted.ok and acted.effect is not None and acted.times.settle_checks >= 1
    # The effect baseline used the observation's windows and the effect measure read the
    # windows once. Sampling, the settle wait grabbed its frames and the effect measure
    # used its last one; with X events proving nothing was drawn, the step grabbed nothing.
    grabs = 1 + acted.times.settle_checks + 1 if not env.config.settle_events else 1
    assert (calls.grabs, calls.queries) == (grabs, 2)
    after = env.observe()
    assert (calls.grabs, calls.queries) == (grabs, 2)
    # That frame and window state are the screen's as it is now.
    fresh = env.capture.grab_image()
    assert np.array_equal(np.asarray(after.screenshot), np.asarray(fresh))
    active = env.active_window()
    assert after.title == (active.title if active is not None else None)


def test_input_or_age_makes_the_driver_read_again(
    env: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Calls(env, monkeypatch)
    env.observe()
    env.observe()  # an observation takes what it uses: observing again reads again
    assert (calls.grabs, calls.queries) == (2, 2)
    env.settle(2.0)
    settled = calls.grabs
    env.execute(MouseMove(at=Point(x=40, y=760, space=CoordSpace.SCREEN)))
    env.observe()  # the settle wait's frame is older than the input
    assert (calls.grabs, calls.queries) == (settled + 1, 3)
    env.settle(2.0)
    time.sleep(REUSE_S + 0.05)
    settled = calls.grabs
    env.observe()  # the settle wait's frame is too old
    assert calls.grabs == settled + 1
    obs = env.observe()
    env.begin_effect(Click(at=Point(x=40, y=760, space=CoordSpace.SCREEN)), obs)
    assert calls.queries == 5  # the baseline took the observation's windows
