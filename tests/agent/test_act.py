"""The act pipeline on the fake GUI: guards, driver failures, secrets, settling, the kill switch."""

from __future__ import annotations

import time

import pytest

from screenpilot.agent.act import Actor
from screenpilot.agent.guards import DomainAllowlistGuard
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.base import SettleResult, StepResult
from screenpilot.environments.fake import FakeConfig, FakeEnvironment, FaultSpec, login_app
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action, Click, KeyPress, Navigate, TypeText
from screenpilot.tools.errors import (
    Aborted,
    ActionRejected,
    ConfigError,
    CoordinateOutOfRange,
    DriverError,
    EnvCrashed,
)
from screenpilot.tools.points import CoordSpace, Point

CANARY = "pin-4711-canary"


class EchoingEnvironment(FakeEnvironment):
    """A driver that quotes what it typed, in its message and in its errors (some do)."""

    def execute(self, action: Action) -> StepResult:
        if isinstance(action, TypeText) and self.state.focus is None:
            raise DriverError(f"no field focused to type {action.text!r} into")
        result = super().execute(action)
        if isinstance(action, TypeText):
            return result.model_copy(update={"message": f"{result.message}: {action.text!r}"})
        return result


class SlowSettlingEnvironment(FakeEnvironment):
    """A screen that keeps changing for ``settle_for`` seconds after each action."""

    def __init__(self, settle_for: float) -> None:
        super().__init__()
        self.settle_for = settle_for
        self.settle_calls: list[float] = []

    def settle(self, timeout_s: float) -> SettleResult:
        self.settle_calls.append(timeout_s)
        t0 = time.monotonic()
        time.sleep(min(self.settle_for, timeout_s))
        stable = self.settle_for <= timeout_s
        return SettleResult(stable=stable, elapsed_s=time.monotonic() - t0, checks=3 if stable else 1)


def on(env: FakeEnvironment, widget: str) -> Click:
    x, y = env.center_of(widget)
    return Click(at=Point(x=x, y=y))


def looked(env: FakeEnvironment) -> Observation:
    return env.reset()


def test_a_click_is_carried_out_and_timed() -> None:
    env = FakeEnvironment()
    obs = looked(env)
    acted = Actor(env).act(on(env, "username"), obs, settle_timeout_s=0.0)
    assert acted.ok and acted.error is None
    assert acted.outcome.ok and acted.outcome.message == "focused username"
    assert env.state.focus == "username"
    assert acted.times.act_s > 0 and acted.times.settle_s == 0


def test_an_out_of_range_point_is_rejected_before_the_driver_sees_it() -> None:
    env = FakeEnvironment()
    obs = looked(env)
    acted = Actor(env).act(Click(at=Point(x=1200, y=10, space=CoordSpace.REL1000)), obs, settle_timeout_s=1.0)
    assert isinstance(acted.error, CoordinateOutOfRange)
    assert not acted.outcome.ok and acted.outcome.error_type == "CoordinateOutOfRange"
    assert env.state.actions == 0  # never executed
    assert acted.times.act_s == 0 and acted.times.settle_s == 0


def test_capability_and_bounds_guards_run_before_the_callers_guards() -> None:
    seen: list[str] = []

    class Recording:
        def check(self, action: Action, observation: Observation) -> None:
            seen.append(action.action)

    env = FakeEnvironment()
    obs = looked(env)
    actor = Actor(env, guards=[Recording(), DomainAllowlistGuard(["example.com"])])
    refused = actor.act(Navigate(url="https://example.com"), obs, settle_timeout_s=0.0)
    assert isinstance(refused.error, ActionRejected) and "not available on fake" in str(refused.error)
    assert seen == []  # the capability guard said no first
    assert actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0).ok
    assert seen == ["key"]


def test_a_driver_error_is_returned_classified_not_raised() -> None:
    app = login_app().model_copy(update={"faults": FaultSpec(driver_error_at=(0,), crash_at=(1,))})
    env = FakeEnvironment(FakeConfig(app=app))
    obs = looked(env)
    actor = Actor(env)
    failed = actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0)
    assert isinstance(failed.error, DriverError) and "simulated driver failure" in str(failed.error)
    assert failed.outcome.error_type == "DriverError" and failed.outcome.message == str(failed.error)
    assert failed.times.act_s > 0  # the time until the driver gave up is still the act stage
    crashed = actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0)
    assert isinstance(crashed.error, EnvCrashed) and crashed.outcome.error_type == "EnvCrashed"


def test_a_secret_reaches_the_driver_and_is_masked_in_the_outcome() -> None:
    env = EchoingEnvironment()
    obs = looked(env)
    actor = Actor(env, secrets=SecretStore({"pin": CANARY}))
    assert actor.act(on(env, "password"), obs, settle_timeout_s=0.0).ok
    acted = actor.act(TypeText(secret="pin"), obs, settle_timeout_s=0.0)
    assert env.state.values["password"] == CANARY  # the driver got the value
    assert acted.ok and acted.outcome.message == "typed into password: '[secret:pin]'"
    assert acted.outcome.action == TypeText(secret="pin")  # the record keeps the reference
    assert CANARY not in acted.outcome.model_dump_json()


def test_a_failure_quoting_a_secret_is_masked_in_the_error_too() -> None:
    env = EchoingEnvironment()
    obs = looked(env)
    acted = Actor(env, secrets=SecretStore({"pin": CANARY})).act(
        TypeText(secret="pin"), obs, settle_timeout_s=0.0
    )
    assert isinstance(acted.error, DriverError)
    assert CANARY not in str(acted.error) and "[secret:pin]" in str(acted.error)
    assert CANARY not in acted.outcome.message
    with pytest.raises(DriverError) as raised:  # what a workflow does with it
        raise acted.error
    assert CANARY not in str(raised.value)


def test_an_unknown_secret_is_a_usage_error() -> None:
    env = FakeEnvironment()
    obs = looked(env)
    with pytest.raises(ConfigError, match="unknown secret 'nope'"):
        Actor(env).act(TypeText(secret="nope"), obs, settle_timeout_s=0.0)


def test_settling_is_bounded_and_timed() -> None:
    env = SlowSettlingEnvironment(settle_for=0.15)
    obs = looked(env)
    actor = Actor(env)
    waited = actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=1.0)
    assert waited.ok and 0.15 <= waited.times.settle_s < 0.6
    bounded = actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.05)
    assert 0.05 <= bounded.times.settle_s < 0.15  # cut short: the screen would settle at 0.15 s
    skipped = actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0)
    assert skipped.times.settle_s == 0
    assert env.settle_calls == [1.0, 0.05]
    # The waits' comparisons and timeouts are counted with the step's times.
    assert (waited.times.settle_checks, waited.times.settle_timeouts) == (3, 0)
    assert (bounded.times.settle_checks, bounded.times.settle_timeouts) == (1, 1)
    assert (skipped.times.settle_checks, skipped.times.settle_timeouts) == (0, 0)
    total = waited.times + bounded.times
    assert (total.settle_checks, total.settle_timeouts) == (4, 1)


def test_the_kill_switch_stops_the_next_action() -> None:
    env = FakeEnvironment()
    obs = looked(env)
    kill = KillSwitch()
    actor = Actor(env, kill_switch=kill)
    assert actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0).ok
    kill.trip("stop")
    with pytest.raises(Aborted, match="stop"):
        actor.act(KeyPress(keys=("tab",)), obs, settle_timeout_s=0.0)
    assert env.state.actions == 1
