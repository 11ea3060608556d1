"""Fixtures: a fresh simulated phone behind a fake adb server, and the environment on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.options import AndroidOptions
from screenpilot.environments.android.simulator import AdbSimulator, SimConfig, SimDevice

SimFactory = Callable[..., AdbSimulator]


@pytest.fixture
def make_sim() -> Iterator[SimFactory]:
    started: list[AdbSimulator] = []

    def make(**config: Any) -> AdbSimulator:
        config.setdefault("time_scale", 0.02)
        sim = AdbSimulator(SimDevice(SimConfig(**config))).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture
def sim(make_sim: SimFactory) -> AdbSimulator:
    return make_sim()


@pytest.fixture
def make_env() -> Iterator[Callable[..., AndroidEnvironment]]:
    envs: list[AndroidEnvironment] = []

    def make(sim: AdbSimulator, **options: Any) -> AndroidEnvironment:
        options.setdefault("reconnect_timeout_s", 5.0)
        env = AndroidEnvironment(AndroidOptions(port=sim.port, **options))
        envs.append(env)
        return env

    yield make
    for env in envs:
        env.close()


@pytest.fixture
def env(sim: AdbSimulator, make_env: Callable[..., AndroidEnvironment]) -> AndroidEnvironment:
    return make_env(sim)
