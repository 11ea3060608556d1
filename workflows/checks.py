"""Check and data steps: ``wait_for``, ``assert`` and ``extract``."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from screenpilot.environments.observation import Observation
from screenpilot.tools.errors import CheckFailed, ConfigError, TargetNotFound
from screenpilot.workflows.expr import evaluate, parse_expression, truthy
from screenpilot.workflows.frame import Frame
from screenpilot.workflows.locate import screen_summary
from screenpilot.workflows.record import StepInfo
from screenpilot.workflows.steps import AssertStep, ExtractStep, WaitForStep
from screenpilot.workflows.targets import (
    AnyTarget,
    ElementTarget,
    ImageTarget,
    RegionTarget,
    TextTarget,
    describe,
)

if TYPE_CHECKING:
    from screenpilot.workflows.step_runner import Execution

_WAIT_FOR_DEFAULT_S = 10.0


class Conditions:
    """The :class:`~agent.workflow.expr.ExprContext` of a running workflow.

    ``visible(...)`` looks at one observation per evaluation, taken on first use.
    """

    def __init__(self, ex: Execution, frame: Frame) -> None:
        self.ex, self.frame = ex, frame
        self._obs: Observation | None = None

    def lookup(self, path: tuple[str, ...]) -> Any:
        return self.frame.lookup(path)

    def visible(self, kind: str, value: str) -> bool:
        if self._obs is None:
            self._obs = self.ex.locator.observe(self.frame)
        target: AnyTarget
        if kind == "element":
            target = ElementTarget(element=value)
        elif kind == "image":
            target = ImageTarget(image=value)
        else:
            target = TextTarget(text=value)
        return bool(self.ex.services.resolver.find(self._obs, target))


def condition_holds(ex: Execution, frame: Frame, expression: str, path: str) -> bool:
    """Evaluate a condition and record its value."""
    with ex.clock.stage("locate_s"):
        value = truthy(evaluate(parse_expression(expression), Conditions(ex, frame)))
    ex.record.event("condition", path=path, expression=expression, value=value)
    return value


def run_wait_for(ex: Execution, frame: Frame, step: WaitForStep, path: str, attempt: int) -> None:
    timeout = step.timeout or max(_WAIT_FOR_DEFAULT_S, frame.defaults.timeout)
    info = ex.info(step, path, attempt=attempt)
    info.target = describe(step.wait_for)
    with ex.clock.stage("locate_s"):
        if step.until == "appear":
            obs = ex.locator.wait_for(frame, step.wait_for, timeout, step=path).obs
        else:
            gone, obs = ex.locator.wait_gone(frame, step.wait_for, timeout)
            if not gone:
                raise CheckFailed(f"step {path}: {info.target} still on screen after {timeout:g}s")
    ex.record_step(info, obs, thought=f"waited until {info.target} {step.until}ed")


def run_assert(ex: Execution, frame: Frame, step: AssertStep, path: str, attempt: int) -> None:
    info = ex.info(step, path, attempt=attempt)
    with ex.clock.stage("locate_s"):
        obs = _check(ex, frame, step, path, info)
    ex.record_step(info, obs, thought=f"assert {info.target or step.assert_.condition} held")


def _check(ex: Execution, frame: Frame, step: AssertStep, path: str, info: StepInfo) -> Observation:
    spec = step.assert_
    timeout = step.timeout or frame.defaults.timeout
    prefix = f"step {path}: assertion failed" + (f" ({spec.message})" if spec.message else "")
    if spec.visible is not None:
        info.target = describe(spec.visible)
        try:
            obs = ex.locator.wait_for(frame, spec.visible, timeout, step=path).obs
        except TargetNotFound:
            obs = ex.locator.last_obs or ex.locator.observe(frame)
            raise CheckFailed(
                f"{prefix}: {describe(spec.visible)} is not visible; on screen: {screen_summary(obs)}"
            ) from None
    elif spec.hidden is not None:
        info.target = describe(spec.hidden)
        gone, obs = ex.locator.wait_gone(frame, spec.hidden, timeout)
        if not gone:
            raise CheckFailed(f"{prefix}: {describe(spec.hidden)} is still visible")
    elif spec.text_of is not None:
        info.target = describe(spec.text_of)
        obs = _assert_text(ex, frame, step, prefix, timeout)
    else:
        assert spec.condition is not None
        if not condition_holds(ex, frame, spec.condition, path):
            raise CheckFailed(f"{prefix}: condition {spec.condition!r} is false")
        obs = ex.locator.last_obs or ex.locator.observe(frame)
    return obs


def _assert_text(ex: Execution, frame: Frame, step: AssertStep, prefix: str, timeout: float) -> Observation:
    spec = step.assert_
    assert spec.text_of is not None
    deadline = time.monotonic() + timeout
    actual = None
    while True:
        try:
            found = ex.locator.wait_for(frame, spec.text_of, max(0.0, deadline - time.monotonic()), step="")
        except TargetNotFound:
            if actual is None:
                raise CheckFailed(f"{prefix}: {describe(spec.text_of)} is not on the screen") from None
        else:
            actual = _text_of(ex, found.obs, spec.text_of, found.candidate.box, found.candidate.text)
            if (spec.equals is not None and actual.strip() == spec.equals.strip()) or (
                spec.contains is not None and spec.contains in actual
            ):
                return found.obs
        if time.monotonic() >= deadline:
            want = f"equal {spec.equals!r}" if spec.equals is not None else f"contain {spec.contains!r}"
            raise CheckFailed(
                f"{prefix}: the text of {describe(spec.text_of)} is {actual!r}; expected it to {want}"
            )
        ex.sleep(frame.defaults.poll_interval)


def _text_of(ex: Execution, obs: Observation, target: AnyTarget, box: Any, text: str) -> str:
    if isinstance(target, RegionTarget):
        return ex.services.resolver.text_in(obs, box)
    return text


def run_extract(ex: Execution, frame: Frame, step: ExtractStep, path: str, attempt: int) -> None:
    timeout = step.timeout or frame.defaults.timeout
    with ex.clock.stage("locate_s"):
        found = ex.locator.wait_for(frame, step.extract, timeout, step=path)
        text = _text_of(ex, found.obs, step.extract, found.candidate.box, found.candidate.text)
    if step.pattern is not None:
        try:
            m = re.search(step.pattern, text)
        except re.error as e:
            raise ConfigError(f"step {path}: bad pattern {step.pattern!r}: {e}") from None
        if m is None:
            raise CheckFailed(f"step {path}: {step.pattern!r} does not match the text {text!r}")
        text = m.group(1) if m.groups() else m.group(0)
    frame.variables[step.save_as] = text
    info = ex.info(step, path, attempt=attempt)
    info.target = describe(step.extract)
    info.extra["save_as"] = step.save_as
    ex.record_step(info, found.obs, thought=f"extracted {step.save_as} = {text!r}")
