"""Dropped connections: the environment reconnects and says so in the next observation."""

from __future__ import annotations

import threading
import time

import adbutils._adb
import pytest

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.tools.actions import LongPress, OpenApp, SystemButton, SystemButtonName
from screenpilot.tools.errors import DriverError, EnvCrashed
from screenpilot.tools.points import Point

pytestmark = pytest.mark.android


@pytest.fixture(autouse=True)
def _never_spawn_a_real_adb_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """adbutils runs ``adb start-server`` when a connection is refused; the driver must not."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an adb server was spawned: {args}")

    monkeypatch.setattr(adbutils._adb.subprocess, "run", refuse)


def test_device_drop_between_steps(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    env.reset()
    sim.drop(0.4)
    obs = env.observe()
    assert any("dropped and was reconnected" in n for n in obs.notices)
    assert obs.app == "com.android.launcher3" and obs.elements
    assert env.observe().notices == ()


@pytest.mark.parametrize("mode", ["device", "server"])
def test_action_during_a_drop_is_delivered_after_reconnect(
    sim: AdbSimulator, env: AndroidEnvironment, mode: str
) -> None:
    env.reset()
    sim.drop(0.4, mode=mode)
    assert env.execute(OpenApp(name="com.android.settings")).ok
    assert sim.device.state.screen == "settings"
    assert any("reconnected" in n for n in env.observe().notices)


def test_tcp_device_is_connected_again(make_sim, make_env) -> None:  # type: ignore[no-untyped-def]
    sim = make_sim(network_address="127.0.0.1:5555")
    env = make_env(sim, connect="127.0.0.1:5555")
    assert env.reset().extra["serial"] == "127.0.0.1:5555"
    sim.drop(0.3)
    obs = env.observe()
    assert any("reconnected" in n for n in obs.notices)
    assert sum(r == "host:connect:127.0.0.1:5555" for r in sim.requests) >= 2


def test_device_gone_too_long_crashes_then_reset_recovers(sim: AdbSimulator, make_env) -> None:  # type: ignore[no-untyped-def]
    env = make_env(sim, reconnect_timeout_s=0.3)
    env.reset()
    sim.drop(1.0)
    with pytest.raises(EnvCrashed):
        env.execute(SystemButton(button=SystemButtonName.HOME))
    time.sleep(1.0)
    obs = env.reset()  # what the agent does after EnvCrashed
    assert obs.app == "com.android.launcher3"


def test_drop_while_an_action_runs_is_not_repeated(make_sim, make_env) -> None:  # type: ignore[no-untyped-def]
    sim = make_sim(time_scale=1.0)
    env = make_env(sim)
    env.reset()
    timer = threading.Timer(0.2, sim.drop, args=(0.3,))
    timer.start()
    with pytest.raises(DriverError, match="may not have happened"):
        env.execute(LongPress(at=Point(x=100, y=900), seconds=0.6))
    timer.join()
    # it did happen on the device: retrying would have pressed twice
    assert sum(e.startswith("swipe 100 900 100 900 600") for e in sim.device.state.events) == 1
    assert any("reconnected" in n for n in env.observe().notices)
