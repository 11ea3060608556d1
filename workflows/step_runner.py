"""Running steps: dispatch, retries, ``on_fail``, and the action steps themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from screenpilot.agent.act import Acted, Actor
from screenpilot.agent.guards import Guard
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.popups import Dismissal, PopupHandler, clear_popups
from screenpilot.agent.result import ActionOutcome, StepEvent
from screenpilot.agent.run_recorder import RunRecorder
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.base import Environment
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Grounder, Policy
from screenpilot.tools.actions import Action
from screenpilot.tools.errors import ActionRejected, CheckFailed, DriverError, EnvTimeout, ScreenpilotError
from screenpilot.tools.points import CoordSpace, Point
from screenpilot.workflows import checks, control
from screenpilot.workflows.actions import ACTION_KINDS, step_targets, to_actions
from screenpilot.workflows.frame import Frame
from screenpilot.workflows.locate import Found, Locator
from screenpilot.workflows.record import StageClock, StepInfo
from screenpilot.workflows.resolver import TargetResolver
from screenpilot.workflows.schema import Observer
from screenpilot.workflows.steps import (
    AgentStep,
    AnyStep,
    AssertStep,
    CallStep,
    ExtractStep,
    ForEachStep,
    IfStep,
    RetrySpec,
    Step,
    WaitForStep,
    WhileStep,
    step_kind,
)
from screenpilot.workflows.targets import describe

PolicyProvider = Callable[[str | None, Mapping[str, Any]], Policy]
"""``(policy name or None for the default, options) -> Policy`` for ``agent`` steps."""

RETRYABLE: tuple[type[ScreenpilotError], ...] = (DriverError, EnvTimeout, CheckFailed, ActionRejected)
"""Failures a step's retry and ``on_fail`` handle; everything else ends the run."""


_MAX_INTERRUPTIONS = 3


class _Interrupted(CheckFailed):
    """Internal: an observer fired between two actions of one step."""

    def __init__(self, message: str, outcomes: list[ActionOutcome]) -> None:
        super().__init__(message)
        self.outcomes = outcomes


def _screen_point(found: Found) -> Point:
    center = found.candidate.box.center
    return Point(x=center.x, y=center.y, space=CoordSpace.SCREEN)


@cache
def _step_adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Step)


@dataclass
class Services:
    """What a run acts with."""

    env: Environment
    resolver: TargetResolver
    secrets: SecretStore
    guards: Sequence[Guard]
    """Extra guards; capability and bounds guards are always applied first."""
    kill_switch: KillSwitch
    grounder: Grounder | None = None
    policies: PolicyProvider | None = None
    popups: PopupHandler | None = None


@dataclass
class Execution:
    """The state of one workflow run while its steps execute."""

    services: Services
    record: RunRecorder
    healed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    observer: str | None = None

    def __post_init__(self) -> None:
        s = self.services
        self.locator = Locator(
            s.env,
            s.resolver,
            self.record,
            self._run_observer,
            grounder=s.grounder,
            kill_switch=s.kill_switch,
            clear_popups=self._clear_popups if s.popups is not None else None,
        )
        self.actor = Actor(s.env, guards=s.guards, secrets=s.secrets, kill_switch=s.kill_switch)
        self.clock = StageClock()

    # -- dispatch -------------------------------------------------------------------------

    def run_steps(self, frame: Frame, steps: Sequence[AnyStep], prefix: str) -> None:
        for i, step in enumerate(steps):
            self.run_step(frame, step, f"{prefix}[{i}]")

    def run_step(self, frame: Frame, step: AnyStep, path: str) -> None:
        self.services.kill_switch.check()
        if step.name:
            path = f"{path} ({step.name})"
        match step:
            case IfStep():
                control.run_if(self, frame, step, path)
            case ForEachStep():
                control.run_for_each(self, frame, step, path)
            case WhileStep():
                control.run_while(self, frame, step, path)
            case CallStep():
                control.run_call(self, frame, step, path)
            case _:
                self._guarded(frame, step, path)

    def _run_observer(self, frame: Frame, observer: Observer) -> None:
        outer, self.observer = self.observer, observer.name
        try:
            self.run_steps(frame, observer.steps, f"observer {observer.name!r}.steps")
        finally:
            self.observer = outer

    def _clear_popups(self, obs: Observation, looking_for: str) -> Observation:
        """Dismiss the popups the handler recognises, each a recorded ``popup`` step."""
        handler = self.services.popups
        assert handler is not None

        def record(seen: Observation, found: Dismissal, acted: Acted) -> None:
            self.clock.add(acted.times)
            info = StepInfo(path="popup handler", kind="popup", name=found.rule.name)
            self.record.step(
                seen,
                actions=(found.action,),
                outcomes=(acted.outcome,),
                thought=f"popup handler: {found.reason}",
                times=self.clock.take(),
                workflow=info.as_dict(),
                popup=found.record(),
            )

        with self.clock.attempt():  # its seconds are its own, not the looking step's
            obs, _ = clear_popups(
                handler,
                self.actor,
                obs,
                observe=self.services.env.observe,
                record=record,
                settle_s=2.0,
                context=looking_for,
            )
        return obs

    # -- retries and on_fail --------------------------------------------------------------

    def _guarded(self, frame: Frame, step: AnyStep, path: str) -> None:
        on_fail = step.on_fail or frame.defaults.on_fail
        retry = step.retry or (RetrySpec() if on_fail == "retry" else frame.defaults.retry)
        attempts = retry.times + 1
        last: ScreenpilotError | None = None
        for attempt in range(1, attempts + 1):
            with self.clock.attempt():
                try:
                    self._once(frame, step, path, attempt, heal=False)
                    return
                except RETRYABLE as e:
                    last = e
                    self._record_failure(step, path, attempt, e)
            if attempt < attempts:
                self.sleep(retry.interval)
        assert last is not None
        if on_fail == "skip":
            self.skipped.append(path)
            self.record.event("step_skipped", path=path, error=f"{type(last).__name__}: {last}")
            return
        if on_fail == "model" and step_targets(step):
            with self.clock.attempt():
                self._once(frame, step, path, attempts + 1, heal=True)
            self.healed.append(path)
            return
        raise last

    def _record_failure(self, step: AnyStep, path: str, attempt: int, error: ScreenpilotError) -> None:
        info = self.info(step, path, attempt=attempt)
        self.record_step(info, self.locator.last_obs, error=f"{type(error).__name__}: {error}")

    def _once(self, frame: Frame, step: AnyStep, path: str, attempt: int, *, heal: bool) -> None:
        rendered = self.render_step(frame, step)
        match rendered:
            case WaitForStep():
                checks.run_wait_for(self, frame, rendered, path, attempt)
            case AssertStep():
                checks.run_assert(self, frame, rendered, path, attempt)
            case ExtractStep():
                checks.run_extract(self, frame, rendered, path, attempt)
            case AgentStep():
                control.run_agent(self, frame, rendered, path, attempt)
            case _ if step_kind(rendered) in ACTION_KINDS:
                self._act(frame, rendered, path, attempt, heal=heal)
            case _:
                raise CheckFailed(f"step {path}: cannot run {type(rendered).__name__}")

    def render_step(self, frame: Frame, step: AnyStep) -> AnyStep:
        """The step with ``${...}`` substituted (conditions are never templated)."""
        data = step.model_dump(by_alias=True, exclude_unset=True, mode="json")
        condition = None
        if isinstance(step, AssertStep):
            condition = data["assert"].pop("condition", None)
        rendered = frame.render(data)
        if condition is not None:
            rendered["assert"]["condition"] = condition
        result: AnyStep = _step_adapter().validate_python(rendered)
        return result

    # -- action steps ---------------------------------------------------------------------

    def _act(self, frame: Frame, step: AnyStep, path: str, attempt: int, *, heal: bool) -> None:
        # An observer that fires between the actions of one step (a popup after "click
        # into", before "type") means the rest would hit the popup: start the step again.
        for _ in range(_MAX_INTERRUPTIONS):
            with self.clock.stage("locate_s"):
                found = self._locate_all(frame, step, path, heal=heal)
                obs = found[-1].obs if found else self.locator.observe(frame)
            points = {role: _screen_point(f) for (role, _), f in zip(step_targets(step), found, strict=True)}
            actions = to_actions(step, points)
            info = self.info(step, path, attempt=attempt)
            try:
                outcomes = self.execute(
                    actions,
                    obs,
                    path,
                    action_timeout=frame.defaults.action_timeout,
                    settle=frame.defaults.settle_timeout,
                    interrupted=(lambda: self.locator.observer_showing(frame)) if frame.observers else None,
                )
            except _Interrupted as e:
                self.record_step(info, obs, e.outcomes, actions=actions, error=str(e))
                continue
            if found:
                info.target = "; ".join(describe(t) for _, t in step_targets(step))
                info.found_by = ", ".join(f"{f.how}:{f.candidate.source}" for f in found)
                info.healed = heal
                info.extra["found"] = [f.candidate.why for f in found]
            self.record_step(info, obs, outcomes, actions=actions, thought=self.describe_step(step, info))
            return
        raise CheckFailed(f"step {path}: observers kept interrupting it ({_MAX_INTERRUPTIONS} times)")

    def _locate_all(self, frame: Frame, step: AnyStep, path: str, *, heal: bool) -> list[Found]:
        timeout = step.timeout or frame.defaults.timeout
        return [
            self.locator.heal(frame, target, step=path)
            if heal
            else self.locator.wait_for(frame, target, timeout, step=path)
            for _, target in step_targets(step)
        ]

    def execute(
        self,
        actions: Sequence[Action],
        obs: Observation,
        path: str,
        *,
        action_timeout: float = 30.0,
        settle: float = 2.0,
        interrupted: Callable[[], bool] | None = None,
    ) -> list[ActionOutcome]:
        """Carry out each action through the act pipeline; its stage times go to the clock.

        Raises:
            ActionRejected: When a guard refuses an action.
            DriverError: When the environment could not carry an action out.
            EnvTimeout: When an action ran past ``action_timeout``.
            EnvCrashed: When the environment is gone.
        """
        self.actor.set_action_timeout(action_timeout)
        outcomes: list[ActionOutcome] = []
        for action in actions:
            acted = self.actor.act(action, obs, settle_timeout_s=settle)
            self.clock.add(acted.times)
            outcomes.append(acted.outcome)
            if acted.error is not None:
                raise acted.error
            if interrupted is not None and len(outcomes) < len(actions) and self._showing(interrupted):
                raise _Interrupted(
                    f"step {path}: an observer's target appeared mid-step; starting the step again", outcomes
                )
        return outcomes

    def _showing(self, interrupted: Callable[[], bool]) -> bool:
        with self.clock.stage("locate_s"):
            return interrupted()

    def record_step(
        self,
        info: StepInfo,
        obs: Observation | None,
        outcomes: Sequence[ActionOutcome] = (),
        *,
        actions: Sequence[Action] = (),
        error: str | None = None,
        thought: str = "",
    ) -> StepEvent:
        """Record a step of this workflow with the stage times its attempt spent so far."""
        return self.record.step(
            obs,
            actions=actions,
            outcomes=outcomes,
            thought=thought,
            error=error,
            times=self.clock.take(),
            workflow=info.as_dict(),
        )

    # -- helpers --------------------------------------------------------------------------

    def info(self, step: AnyStep, path: str, *, attempt: int = 1) -> StepInfo:
        return StepInfo(
            path=path, kind=step_kind(step), name=step.name, attempt=attempt, observer=self.observer
        )

    def describe_step(self, step: AnyStep, info: StepInfo) -> str:
        what = f"{info.kind} {info.target}" if info.target else info.kind
        healed = " (healed by the model)" if info.healed else ""
        return f"workflow step {info.path}: {what}{healed}"

    def sleep(self, seconds: float) -> None:
        self.services.kill_switch.sleep(seconds)
