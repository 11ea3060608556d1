"""Every environment passes the same contract checker (drivers add themselves here)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from screenpilot.environments.base import Capabilities, Environment, SettleResult, StepResult
from screenpilot.environments.contract import check_environment
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action

Factory = Callable[[], Environment]


def _browser() -> Environment:
    from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment

    return BrowserEnvironment(BrowserConfig(executable_path="/usr/bin/chromium"))


ENVIRONMENTS: dict[str, tuple[Factory, list[pytest.MarkDecorator]]] = {
    "fake": (FakeEnvironment, []),
    "fake-hidpi": (lambda: FakeEnvironment(FakeConfig(scale_factor=2.0)), []),
    "browser": (_browser, [pytest.mark.browser, pytest.mark.slow]),
}


@pytest.mark.parametrize(
    "factory",
    [pytest.param(factory, id=name, marks=marks) for name, (factory, marks) in ENVIRONMENTS.items()],
)
def test_environment_contract(factory: Factory) -> None:
    report = check_environment(factory())
    assert report.ok, report.problems
    assert "close twice" in report.checks
    assert any(c.startswith("unsupported") for c in report.checks)


class _Broken:
    """An environment that breaks several rules at once, to prove the checker notices."""

    def __init__(self) -> None:
        self.inner = FakeEnvironment()

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(platform="browser", actions=frozenset({"wait", "answer"}))

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
    report = check_environment(_Broken())
    assert not report.ok
    text = " ".join(report.problems)
    assert "terminal kinds" in text
    assert "platform" in text
    assert "reported as done" in text
