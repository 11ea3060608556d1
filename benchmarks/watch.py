"""Thin wrappers that let the runner see infrastructure errors and end judged episodes.

The agent absorbs some failures (it resets a crashed environment, retries the model), so
the runner cannot tell from a run's status alone whether an episode failed at its task or
because the machinery broke. These wrappers note every infrastructure error by type as it
passes through, and the policy wrapper asks the evaluator after every step whether the
task is over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from screenpilot.benchmarks.evaluator import Evaluator, Verdict
from screenpilot.environments.base import (
    Capabilities,
    Environment,
    SettleResult,
    StepResult,
    SupportsActionTimeout,
    SupportsEffects,
)
from screenpilot.environments.effects import Effect
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Policy
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Action, Terminate
from screenpilot.tools.errors import EnvCrashed, EnvTimeout, ModelTransportError

INFRA_ERRORS: tuple[type[BaseException], ...] = (EnvCrashed, EnvTimeout, ModelTransportError)
"""Errors that say the machinery failed, not the policy: episodes that hit one are retried."""


@dataclass
class InfraWatch:
    """Infrastructure errors seen during one attempt, in order."""

    errors: list[BaseException] = field(default_factory=list)
    verdict: Verdict | None = None
    decisions: int = 0

    @property
    def crashed(self) -> bool:
        """Whether the environment crashed (its state, and so the episode, is lost)."""
        return any(isinstance(e, EnvCrashed) for e in self.errors)

    def note(self, error: BaseException) -> None:
        if isinstance(error, INFRA_ERRORS):
            self.errors.append(error)


class WatchedEnvironment:
    """An :class:`Environment` that forwards every call and notes infrastructure errors."""

    def __init__(self, inner: Environment, watch: InfraWatch) -> None:
        self.inner = inner
        self.watch = watch

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def reset(self) -> Observation:
        try:
            return self.inner.reset()
        except INFRA_ERRORS as e:
            self.watch.note(e)
            raise

    def observe(self) -> Observation:
        try:
            return self.inner.observe()
        except INFRA_ERRORS as e:
            self.watch.note(e)
            raise

    def execute(self, action: Action) -> StepResult:
        try:
            return self.inner.execute(action)
        except INFRA_ERRORS as e:
            self.watch.note(e)
            raise

    def settle(self, timeout_s: float) -> SettleResult:
        try:
            return self.inner.settle(timeout_s)
        except INFRA_ERRORS as e:
            self.watch.note(e)
            raise

    def close(self) -> None:
        self.inner.close()

    def set_action_timeout(self, seconds: float) -> None:
        if isinstance(self.inner, SupportsActionTimeout):
            self.inner.set_action_timeout(seconds)


class WatchedEffectsEnvironment(WatchedEnvironment):
    """A :class:`WatchedEnvironment` over an environment that measures what actions did, so
    that a benchmark's agent hears each action's effect as a user's run does."""

    inner: SupportsEffects  # type: ignore[assignment]

    def begin_effect(self, action: Action, before: Observation) -> None:
        self.inner.begin_effect(action, before)

    def end_effect(self) -> Effect:
        return self.inner.end_effect()


def watched(inner: Environment, watch: InfraWatch) -> WatchedEnvironment:
    """``inner`` watched for infrastructure errors, keeping its effect measure when it has one."""
    if isinstance(inner, SupportsEffects):
        return WatchedEffectsEnvironment(inner, watch)
    return WatchedEnvironment(inner, watch)


def judge_after_step(evaluator: Evaluator, env: Environment, watch: InfraWatch) -> None:
    """Read the task's verdict after a step and keep it once the task says it is done.

    Called from the agent's step callback, which runs on the environment's own thread
    (policies run on a helper thread, where Playwright must not be touched).
    """
    if watch.verdict is not None:
        return
    try:
        verdict = evaluator.check(env)
    except INFRA_ERRORS as e:
        watch.note(e)
        raise
    if verdict.done:
        watch.verdict = verdict


class JudgedPolicy:
    """A policy that stops the run as soon as the evaluator has said the task is over.

    Once :func:`judge_after_step` recorded a final verdict, the next prediction answers
    ``terminate`` with that verdict instead of asking the real policy, so the trajectory
    shows why the run ended. The real policy never sees the verdict.
    """

    def __init__(self, inner: Policy, watch: InfraWatch) -> None:
        self.inner = inner
        self.watch = watch

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model_id(self) -> str:
        return str(getattr(self.inner, "model_id", self.inner.name))

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        verdict = self.watch.verdict
        if verdict is not None:
            status = "success" if verdict.success else "failure"
            return Decision(
                actions=(Terminate(status=status, reason=f"the task reported done: {verdict.reason}"),),
                thought=f"evaluator: task done with reward {verdict.reward:g}",
                model="evaluator",
            )
        try:
            decision = self.inner.predict(task, observation, history, feedback)
        except ModelTransportError as e:
            self.watch.note(e)
            raise
        self.watch.decisions += 1
        return decision
