"""Acting: the one pipeline every action passes through, for the agent loop and workflows.

kill switch → guards (capability and bounds first, then the caller's) → secrets resolved
for the driver → hit-test (environments that support effects) → execute (timed) → settle
(bounded, timed; how it ended goes into the outcome) → effect summary → the driver's
message redacted → a typed :class:`Acted`.

An action's effect decides its outcome where the driver could tell: a pointer action that
landed on something covering its target and changed nothing fails with
:class:`~tools.errors.TargetCovered`, and one whose navigation the allowlist blocked fails
with :class:`~tools.errors.ActionRejected`; both messages say what happened.

Failures that a guard or the environment classify come back in :attr:`Acted.error`
instead of being raised, so that each caller decides what they mean: the agent loop
feeds them back to the model (and resets a crashed environment), workflows raise them
for their retry and ``on_fail`` handling. Only :class:`~tools.errors.Aborted` (the kill
switch) and :class:`~tools.errors.ConfigError` (an unknown secret) propagate.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from screenpilot.agent.guards import BoundsGuard, CapabilityGuard, Guard
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.result import ActionOutcome, StageTimes
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.base import (
    Environment,
    SettleResult,
    StepResult,
    SupportsActionTimeout,
    SupportsEffects,
)
from screenpilot.environments.effects import Effect
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import TERMINAL_KINDS, Action, Wait
from screenpilot.tools.errors import ActionRejected, DriverError, EnvCrashed, EnvTimeout, TargetCovered

ActFailure = ActionRejected | DriverError | EnvTimeout | EnvCrashed
"""The failures :meth:`Actor.act` classifies and returns instead of raising."""

_CAUGHT = (ActionRejected, DriverError, EnvTimeout, EnvCrashed)


@dataclass(frozen=True)
class Acted:
    """What carrying out one action did.

    Attributes:
        outcome: The action as decided (secret references unresolved), whether it was
            carried out, and the driver's message or the failure, redacted.
        error: The classified failure, ``None`` when the action was carried out. Its
            message is redacted too. A driver that answers ``ok=False`` yields a
            :class:`~tools.errors.DriverError`.
        notices: Side effects the driver reported (a tab opened, a dialog was accepted).
        times: ``act_s``, ``settle_s`` and ``effect_s`` of this action, and the settle
            wait's comparisons and whether it timed out.
    """

    outcome: ActionOutcome
    error: ActFailure | None = None
    notices: tuple[str, ...] = ()
    times: StageTimes = field(default_factory=StageTimes)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def effect(self) -> Effect | None:
        return self.outcome.effect

    def feedback(self) -> str | None:
        """The effect as one short line for the policy (``None`` when nothing was measured)."""
        effect = self.outcome.effect
        if effect is None:
            return None
        return f"{self.outcome.action.describe()}: {effect.summary(verb_of(self.outcome.action))}"


def verb_of(action: Action) -> str:
    """What to call ``action`` in a sentence (``the click landed on ...``)."""
    return {"click": "click", "long_press": "press", "drag": "drag", "mouse_move": "pointer"}.get(
        action.action, action.action
    )


_PRESSES = frozenset({"click", "long_press", "drag"})
"""Actions that press on their point: when what they pressed covers their target and
nothing changed, they did not do what they were for."""


def _tracks(action: Action) -> bool:
    return action.action not in TERMINAL_KINDS and not isinstance(action, Wait)


class Actor:
    """Carries out actions in one environment.

    Args:
        env: Where to act.
        guards: Extra guards, checked after the capability and bounds guards.
        secrets: Values for ``TypeText(secret=...)``; redacted from every message.
        kill_switch: Checked before each action.
    """

    def __init__(
        self,
        env: Environment,
        *,
        guards: Sequence[Guard] = (),
        secrets: SecretStore | None = None,
        kill_switch: KillSwitch | None = None,
    ) -> None:
        self.env = env
        self.guards: list[Guard] = [CapabilityGuard(env.capabilities), BoundsGuard(), *guards]
        self.secrets = secrets or SecretStore()
        self.kill_switch = kill_switch or KillSwitch()

    def set_action_timeout(self, seconds: float) -> None:
        """Bound each action, for environments that enforce the bound themselves."""
        if isinstance(self.env, SupportsActionTimeout):
            self.env.set_action_timeout(seconds)

    def act(self, action: Action, observation: Observation, *, settle_timeout_s: float) -> Acted:
        """Guard, execute and settle one action decided on ``observation``.

        Args:
            action: What to do; points are checked against ``observation``'s geometry.
            observation: The screen the action was decided on.
            settle_timeout_s: Bound on waiting for the screen to settle (0 skips it).

        Raises:
            Aborted: When the kill switch has fired.
            ConfigError: When the action references an unknown secret.
        """
        self.kill_switch.check()
        times = StageTimes()
        settled: SettleResult | None = None
        try:
            for guard in self.guards:
                guard.check(action, observation)
            resolved = self.secrets.resolve(action)
            tracker = self.env if isinstance(self.env, SupportsEffects) and _tracks(action) else None
            times = self._begin(tracker, resolved, observation)
            t0 = time.monotonic()
            try:
                result = self.env.execute(resolved)
            finally:
                times += StageTimes(act_s=time.monotonic() - t0)
            settled, spent = self._settle(settle_timeout_s)
            times += spent
            effect, spent = self._end(tracker)
            times += spent
        except _CAUGHT as e:
            return self._failed(action, e, times, settle=settled)
        return self._done(action, result, times, effect, settled)

    @staticmethod
    def _begin(tracker: SupportsEffects | None, action: Action, observation: Observation) -> StageTimes:
        if tracker is None:
            return StageTimes()
        t0 = time.monotonic()
        tracker.begin_effect(action, observation)
        return StageTimes(effect_s=time.monotonic() - t0)

    @staticmethod
    def _end(tracker: SupportsEffects | None) -> tuple[Effect | None, StageTimes]:
        if tracker is None:
            return None, StageTimes()
        t0 = time.monotonic()
        effect = tracker.end_effect()
        return effect, StageTimes(effect_s=time.monotonic() - t0)

    def _settle(self, timeout_s: float) -> tuple[SettleResult | None, StageTimes]:
        if timeout_s <= 0:
            return None, StageTimes()
        t0 = time.monotonic()
        settled = self.env.settle(timeout_s)
        return settled, StageTimes(
            settle_s=time.monotonic() - t0,
            settle_checks=settled.checks,
            settle_timeouts=0 if settled.stable else 1,
        )

    def _done(
        self,
        action: Action,
        result: StepResult,
        times: StageTimes,
        effect: Effect | None,
        settled: SettleResult | None,
    ) -> Acted:
        message = self.secrets.redact(result.message)
        notices = tuple(self.secrets.redact(list(result.notices)))
        if effect is not None:
            effect = Effect.model_validate(self.secrets.redact(effect.model_dump()))
        failure = self._ineffective(action, result, message, effect)
        if failure is not None:
            return self._failed(action, failure, times, notices=notices, effect=effect, settle=settled)
        outcome = ActionOutcome(action=action, ok=True, message=message, effect=effect, settle=settled)
        return Acted(outcome=outcome, notices=notices, times=times)

    @staticmethod
    def _ineffective(
        action: Action, result: StepResult, message: str, effect: Effect | None
    ) -> ActFailure | None:
        """The failure an outcome amounts to: the driver's, a blocked navigation, a covered target."""
        if not result.ok:
            return DriverError(message)
        if effect is None:
            return None
        blocked = effect.blocked()
        if blocked:
            return ActionRejected(blocked)
        if effect.covered and action.action in _PRESSES:
            return TargetCovered(effect.summary(verb_of(action)))
        return None

    def _failed(
        self,
        action: Action,
        error: ActFailure,
        times: StageTimes,
        *,
        notices: tuple[str, ...] = (),
        effect: Effect | None = None,
        settle: SettleResult | None = None,
    ) -> Acted:
        error = self._redacted(error)
        outcome = ActionOutcome(
            action=action,
            ok=False,
            message=str(error),
            error_type=type(error).__name__,
            effect=effect,
            settle=settle,
        )
        return Acted(outcome=outcome, error=error, notices=notices, times=times)

    def _redacted(self, error: ActFailure) -> ActFailure:
        """The error itself, or a copy of it whose message masks the secrets it quoted."""
        text = str(error)
        clean = self.secrets.redact(text)
        if clean == text:
            return error
        masked = copy.copy(error)
        masked.args = (clean,)
        return masked
