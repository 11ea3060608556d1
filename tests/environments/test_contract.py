"""Every registered environment with a hermetic instance passes the same contract checker.

The cases come from the registry (built-ins and plug-ins alike): registering an environment
with a ``hermetic`` factory adds it here with no edit to this file.
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable
from typing import Any

import pytest
from _pytest.mark import ParameterSet

from screenpilot.agent.entries import EntrySpec
from screenpilot.agent.registry import ENVIRONMENTS, registry
from screenpilot.environments.base import Capabilities, Environment, SettleResult, StepResult
from screenpilot.environments.contract import check_environment
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action

Factory = Callable[[], Environment]

# Suites that need more than this process: a Chromium, an X server, the adb simulator.
_MARKS = {
    "browser": [pytest.mark.browser, pytest.mark.slow],
    "desktop": [pytest.mark.desktop, pytest.mark.slow],
    "android": [pytest.mark.android],
    "browsergym": [pytest.mark.browser, pytest.mark.slow],
}


def marks_for(spec: EntrySpec) -> list[pytest.MarkDecorator]:
    return _MARKS.get(spec.extra or "", [])


def contract_cases() -> list[ParameterSet]:
    """One case per registered environment that has a hermetic instance, plus variants."""
    envs = registry("environments")
    cases = [
        pytest.param(functools.partial(envs.hermetic, name), id=name, marks=marks_for(envs.resolve(name)))
        for name in envs.hermetic_names()
    ]
    hidpi = functools.partial(FakeEnvironment, FakeConfig(scale_factor=2.0))
    return [*cases, pytest.param(hidpi, id="fake-hidpi")]


@pytest.mark.parametrize("factory", contract_cases())
def test_environment_contract(factory: Factory) -> None:
    env = factory()
    caps = env.capabilities
    report = check_environment(env)
    assert report.ok, report.problems
    assert "close twice" in report.checks
    assert any(c.startswith("unsupported") for c in report.checks)
    assert "reset() carries the capabilities" in report.checks
    if caps.scripting:
        assert "scripting evaluates" in report.checks


def test_every_builtin_environment_has_a_hermetic_instance() -> None:
    assert set(ENVIRONMENTS) <= set(registry("environments").hermetic_names())
    ids = {p.id for p in contract_cases()}
    assert {"fake", "browser", "android", "desktop"} <= ids


class _Broken:
    """An environment that breaks several rules at once, to prove the checker notices."""

    def __init__(self, caps: Capabilities) -> None:
        self.inner = FakeEnvironment()
        self.caps = caps

    @property
    def capabilities(self) -> Capabilities:
        return self.caps

    def reset(self) -> Observation:
        return self.inner.reset()

    def observe(self) -> Observation:
        return self.inner.observe()

    def execute(self, action: Action) -> StepResult:
        return StepResult(ok=True)

    def settle(self, timeout_s: float) -> SettleResult:
        return SettleResult(stable=True, elapsed_s=0.0)

    def close(self) -> None:
        return None


def test_checker_reports_violations() -> None:
    report = check_environment(
        _Broken(Capabilities(platform="browser", actions=frozenset({"wait", "answer"})))
    )
    assert not report.ok
    text = " ".join(report.problems)
    assert "terminal kinds" in text
    assert "reset() capabilities" in text and "differ from the environment's" in text
    assert "reported as done" in text


class _ScriptingBroken(_Broken):
    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return "not a number"


def test_checker_holds_scripting_to_its_word() -> None:
    claims = Capabilities(platform="fake", actions=frozenset({"wait"}), scripting=True)
    no_evaluate = check_environment(_Broken(claims))
    assert "capabilities.scripting is true but the environment has no evaluate()" in no_evaluate.problems
    wrong = check_environment(_ScriptingBroken(claims))
    assert any("returned 'not a number'" in p for p in wrong.problems)


@pytest.mark.android
def test_the_hermetic_phone_stops_its_simulator_on_close() -> None:
    env = registry("environments").hermetic("android")
    port = env.simulator.port
    assert env.reset().capabilities.input == "touch"
    env.close()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


@pytest.mark.desktop
@pytest.mark.slow
def test_the_hermetic_desktop_stops_its_x_server_on_close() -> None:
    env = registry("environments").hermetic("desktop")
    server = env.private_display.process
    assert env.observe().geometry.logical_size.width == 1280 and server.poll() is None
    env.close()
    assert server.poll() is not None
