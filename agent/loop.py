"""The agent loop: perceive, plan, guard, act, record.

Actions go through :class:`~agent.act.Actor` and the run is written by
:class:`~agent.run_recorder.RunRecorder`, the same pipeline and recorder workflows use.
Before the policy sees a screen, the popup handler (when given) dismisses popups its rules
recognise, each as a recorded step; after each action the policy hears what it hit and
changed (an ``effect`` feedback line).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from screenpilot.agent.act import Acted, Actor
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.guards import Guard
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.popups import Dismissal, PopupHandler, clear_popups
from screenpilot.agent.repeat_detector import LoopDetector
from screenpilot.agent.result import ActionOutcome, RunResult, RunStatus, StageTimes, StepEvent
from screenpilot.agent.retry import backoff_delay
from screenpilot.agent.run_recorder import RunRecorder, StepCallback, new_run_id, pointed_elements
from screenpilot.agent.secrets import SecretStore, check_references
from screenpilot.agent.timeouts import call_with_timeout
from screenpilot.environments.base import Environment
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Policy
from screenpilot.model.types import Decision, Feedback, HistoryStep, Usage
from screenpilot.tools.actions import TERMINAL_KINDS, Action, Answer, Terminate
from screenpilot.tools.errors import (
    Aborted,
    ActionRejected,
    DriverError,
    EnvCrashed,
    LoopDetected,
    ModelOutputError,
    ModelTimeout,
    ModelTransportError,
    ScreenpilotError,
    TargetCovered,
)

__all__ = ["Agent", "StepCallback", "new_run_id", "pointed_elements"]


class _Finished(Exception):
    """Internal: the run reached an end state."""

    def __init__(self, status: RunStatus, reason: str = "", answer: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.answer = status, reason, answer


_Ending = tuple[RunStatus, str, str | None, Aborted | None]


@dataclass
class _RunState:
    task: str
    record: RunRecorder
    history: list[HistoryStep] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failures: int = 0
    last_error: ScreenpilotError | None = None
    observe_s: float = 0.0
    """How long the observation the next step acts on took."""


@dataclass
class _StepCtx:
    obs: Observation
    feedback_in: tuple[str, ...] = ()
    stats: dict[str, int] = field(default_factory=lambda: {"invalid": 0, "retries": 0})
    times: StageTimes = field(default_factory=StageTimes)


class Agent:
    """Runs tasks in one environment with one policy.

    Args:
        env: Where to act.
        policy: What decides.
        config: Budgets, timeouts and retry settings.
        guards: Extra guards; capability and bounds guards are always applied first.
        secrets: Secret values for ``TypeText(secret=...)``; redacted from every record.
        kill_switch: Trips the run from outside.
        out_dir: Where run directories go (``None`` records nothing).
        on_step: Callbacks called after every step.
        manifest_extra: Extra fields for ``manifest.json`` (environment name, git sha).
        on_wait: Callbacks given a line of text while the model keeps the run waiting
            (still waiting, retrying).
        popups: Dismisses popups its rules recognise before the policy is asked (none
            when ``None``).
    """

    def __init__(
        self,
        env: Environment,
        policy: Policy,
        config: AgentConfig | None = None,
        *,
        guards: Sequence[Guard] = (),
        secrets: SecretStore | None = None,
        kill_switch: KillSwitch | None = None,
        out_dir: str | Path | None = Path("runs"),
        on_step: Sequence[StepCallback] = (),
        manifest_extra: dict[str, Any] | None = None,
        on_wait: Sequence[Callable[[str], None]] = (),
        popups: PopupHandler | None = None,
    ) -> None:
        self.env = env
        self.popups = popups
        self.policy = policy
        self.config = config or AgentConfig()
        self.secrets = secrets or SecretStore()
        self.kill_switch = kill_switch or KillSwitch(self.config.abort_file)
        if self.kill_switch.abort_file is None:
            self.kill_switch.abort_file = self.config.abort_file
        self.actor = Actor(env, guards=guards, secrets=self.secrets, kill_switch=self.kill_switch)
        self.actor.set_action_timeout(self.config.action_timeout_s)
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.on_step = list(on_step)
        self.manifest_extra = manifest_extra or {}
        self.on_wait = list(on_wait)

    def run(self, task: str, *, reset: bool = True, run_id: str | None = None) -> RunResult:
        """Run ``task`` until it ends; always leaves a readable trajectory.

        Raises:
            Aborted: When the kill switch fired (after the result is recorded).
            ConfigError: Before anything runs, when the task names a secret
                (``{{secret:NAME}}``) that was not given.
        """
        check_references(task, self.secrets)
        if self.popups is not None:
            self.popups.start_run()
        record = RunRecorder(
            run_id or new_run_id(),
            self.out_dir,
            self.secrets,
            screenshots=self.config.record_screenshots,
            on_step=self.on_step,
        )
        # The policy sees the task too: a secret written into it is masked like everywhere else.
        run = _RunState(task=self.secrets.redact(task), record=record)
        record.start(
            run.task,
            policy=self.policy.name,
            model=getattr(self.policy, "model_id", self.policy.name),
            prompt_version=getattr(self.policy, "prompt_version", None),
            capabilities=self.env.capabilities,
            config=self.config.model_dump(mode="json"),
            extra=self.manifest_extra,
        )
        status, reason, answer, aborted = self._run_to_end(run, reset)
        result = record.finish(status, reason, answer=answer, usage=run.usage)
        if aborted is not None:
            raise aborted
        return result

    def _run_to_end(self, run: _RunState, reset: bool) -> _Ending:
        try:
            self._loop(run, reset)
        except _Finished as f:
            return f.status, f.reason, f.answer, None
        except Aborted as e:
            return "aborted", str(e), None, e
        except LoopDetected as e:
            return "loop", f"{type(e).__name__}: {e}", None, None
        except ScreenpilotError as e:
            run.record.failed(e)
            return "error", f"{type(e).__name__}: {e}", None, None
        except Exception as e:  # a bug: record it so the trajectory explains the crash
            run.record.crash(e)
            return "error", f"{type(e).__name__}: {e}", None, None
        return "truncated", f"step budget of {self.config.max_steps} spent", None, None

    # -- the loop -------------------------------------------------------------------------

    def _loop(self, run: _RunState, reset: bool) -> None:
        detector = LoopDetector(self.config.loop)
        obs = self._observe(run, self.env.reset) if reset else None
        for _ in range(self.config.max_steps):
            self.kill_switch.check()
            self._check_clock(run)
            if obs is None:
                obs = self._observe(run, self.env.observe)
            obs = self._clear_popups(run, obs)
            self._step(run, obs, detector)
            obs = None

    def _observe(self, run: _RunState, look: Callable[[], Observation]) -> Observation:
        t0 = time.monotonic()
        obs = self.secrets.redact_observation(look())  # what the policy and the record see
        run.observe_s = time.monotonic() - t0
        return obs

    def _clear_popups(self, run: _RunState, obs: Observation) -> Observation:
        if self.popups is None:
            return obs

        def record(seen: Observation, found: Dismissal, acted: Acted) -> None:
            run.record.step(
                seen,
                actions=(found.action,),
                outcomes=(acted.outcome,),
                thought=f"popup handler: {found.reason}",
                times=StageTimes(observe_s=run.observe_s) + acted.times,
                popup=found.record(),
            )
            run.feedback.append(Feedback(kind="popup", message=found.reason))

        settle = min(self.config.settle_timeout_s, max(0.0, self._remaining(run)))
        look = partial(self._observe, run, self.env.observe)
        obs, _ = clear_popups(
            self.popups, self.actor, obs, observe=look, record=record, settle_s=settle, context=run.task
        )
        return obs

    def _step(self, run: _RunState, obs: Observation, detector: LoopDetector) -> None:
        run.feedback.extend(Feedback(kind="notice", message=n) for n in obs.notices)
        ctx = _StepCtx(obs=obs, feedback_in=tuple(f.message for f in run.feedback))
        t0 = time.monotonic()
        try:
            decision = self._decide(run, obs, ctx.stats)
        except ModelOutputError as e:
            ctx.times = StageTimes(observe_s=run.observe_s, predict_s=time.monotonic() - t0)
            self._failed_step(run, ctx, e)
            return
        ctx.times = StageTimes(observe_s=run.observe_s, predict_s=time.monotonic() - t0)
        run.usage = run.usage + decision.usage
        run.feedback = []
        outcomes = self._act(run, ctx, decision)
        run.failures = run.failures + 1 if any(not o.ok for o in outcomes) else 0
        self._record(run, ctx, decision, outcomes)
        self._check_failures(run)
        terminal = [a for a in decision.actions if a.action in TERMINAL_KINDS]
        if terminal and all(o.ok for o in outcomes):
            raise self._terminal(terminal[0])
        self._check_loop(run, detector, decision, obs)

    def _failed_step(self, run: _RunState, ctx: _StepCtx, error: ModelOutputError) -> None:
        run.failures += 1
        run.last_error = error
        run.feedback = [Feedback(kind="invalid_output", message=str(error), raw=error.raw)]
        self._record(run, ctx, None, error=error)
        self._check_failures(run)

    # -- deciding -------------------------------------------------------------------------

    def _decide(self, run: _RunState, obs: Observation, stats: dict[str, int]) -> Decision:
        feedback = list(run.feedback)
        retry = self.config.retry
        give_up_at = time.monotonic() + retry.give_up_s
        while True:
            self.kill_switch.check()
            left = give_up_at - time.monotonic()
            timeout = max(0.1, min(self.config.model_timeout_s, self._remaining(run), left))
            try:
                return call_with_timeout(
                    partial(self.policy.predict, run.task, obs, tuple(run.history), tuple(feedback)),
                    timeout,
                    partial(ModelTimeout, f"the model did not answer within {timeout:.1f}s"),
                    on_wait=partial(self._say_waiting, give_up_at),
                    every_s=retry.say_every_s,
                )
            except ModelOutputError as e:
                stats["invalid"] += 1
                run.record.event("invalid_output", error=str(e), raw=e.raw)
                if stats["invalid"] > self.config.max_output_retries:
                    raise
                feedback.append(Feedback(kind="invalid_output", message=str(e), raw=e.raw))
            except ModelTransportError as e:
                self._check_clock(run)
                stats["retries"] += 1
                left = give_up_at - time.monotonic()
                if stats["retries"] >= retry.attempts or left <= 0.1:
                    raise type(e)(
                        f"{e} (gave up after {stats['retries']} attempts in {retry.give_up_s - left:.0f}s)",
                        retry_after=e.retry_after,
                    ) from e
                delay = min(backoff_delay(stats["retries"], retry, retry_after=e.retry_after), left)
                run.record.event("model_retry", error=f"{type(e).__name__}: {e}", delay_s=delay)
                self._say(f"the model call failed ({type(e).__name__}: {e}); retrying in {delay:.1f}s")
                self.kill_switch.sleep(min(delay, max(0.0, self._remaining(run))))

    def _say_waiting(self, give_up_at: float, waited_s: float) -> None:
        left = max(0.0, give_up_at - time.monotonic())
        self._say(f"waiting for the model: {waited_s:.0f}s so far (giving up in {left:.0f}s)")

    def _say(self, message: str) -> None:
        for callback in self.on_wait:
            callback(message)

    # -- acting ---------------------------------------------------------------------------

    def _act(self, run: _RunState, ctx: _StepCtx, decision: Decision) -> list[ActionOutcome]:
        outcomes: list[ActionOutcome] = []
        for action in decision.actions:
            if action.action in TERMINAL_KINDS:
                self.kill_switch.check()
                outcomes.append(ActionOutcome(action=action, ok=True, message="finished"))
                break
            settle = min(self.config.settle_timeout_s, max(0.0, self._remaining(run)))
            acted = self.actor.act(action, ctx.obs, settle_timeout_s=settle)
            ctx.times += acted.times
            run.feedback.extend(Feedback(kind="notice", message=n) for n in acted.notices)
            if acted.error is not None:
                run.last_error = acted.error
                self._feed_back_failure(run, action, acted)
            elif (line := acted.feedback()) is not None:
                run.feedback.append(Feedback(kind="effect", message=line, effect=acted.effect))
            outcomes.append(acted.outcome)
            if not acted.ok:
                break
        return outcomes

    def _feed_back_failure(self, run: _RunState, action: Action, acted: Acted) -> None:
        if isinstance(acted.error, EnvCrashed):
            run.record.event("env_recover", error=str(acted.error))
            self.env.reset()
            run.feedback.append(
                Feedback(
                    kind="notice",
                    message=f"the environment crashed and was reset ({acted.error}); "
                    "the screen may have changed",
                )
            )
        kind = "rejected" if isinstance(acted.error, ActionRejected) else "action_error"
        message = self.secrets.redact(f"{action.describe()} failed: {acted.error}")
        run.feedback.append(Feedback(kind=kind, message=message, effect=acted.effect))

    # -- checks ---------------------------------------------------------------------------

    def _terminal(self, action: Action) -> _Finished:
        if isinstance(action, Answer):
            return _Finished("success", "answered", action.text)
        assert isinstance(action, Terminate)
        return _Finished(action.status, action.reason or f"terminated with {action.status}")

    def _check_loop(
        self, run: _RunState, detector: LoopDetector, decision: Decision, obs: Observation
    ) -> None:
        if not self.config.loop.enabled:
            return
        count = detector.record(decision.actions, obs.screenshot, obs.geometry)
        if count >= self.config.loop.stop_after:
            raise LoopDetected(f"the same action was repeated {count} times on an unchanged screen")
        if count >= self.config.loop.nudge_after:
            run.record.event("loop_nudge", repeats=count)
            run.feedback.append(
                Feedback(
                    kind="loop",
                    message=f"You have done the same thing {count} times and the screen did not "
                    "change. Try a different action or target.",
                )
            )

    def _check_failures(self, run: _RunState) -> None:
        if run.failures < self.config.max_consecutive_failures:
            return
        last = run.last_error
        # a refused or ineffective action is the task failing on this screen, not a fault
        task_failed = isinstance(last, ActionRejected | TargetCovered)
        detail = f"; the last: {last}" if isinstance(last, ActionRejected | DriverError) else ""
        raise _Finished(
            "failure" if task_failed else "error", f"{run.failures} consecutive failed steps{detail}"
        )

    def _check_clock(self, run: _RunState) -> None:
        if self._remaining(run) <= 0:
            raise _Finished("timeout", f"time budget of {self.config.max_seconds:g}s spent")

    def _remaining(self, run: _RunState) -> float:
        return self.config.max_seconds - (time.monotonic() - run.record.started)

    # -- recording ------------------------------------------------------------------------

    def _record(
        self,
        run: _RunState,
        ctx: _StepCtx,
        decision: Decision | None,
        outcomes: Sequence[ActionOutcome] = (),
        *,
        error: ModelOutputError | None = None,
    ) -> None:
        actions = decision.actions if decision else ()
        for notice in decision.notices if decision else ():
            run.record.event("policy_notice", message=notice)
        event = run.record.step(
            ctx.obs,
            actions=actions,
            outcomes=outcomes,
            thought=decision.thought if decision else "",
            raw=decision.raw if decision else (error.raw if error else ""),
            error=f"ModelOutputError: {error}" if error else None,
            feedback=ctx.feedback_in,
            usage=decision.usage if decision else None,
            times=ctx.times,
            invalid_outputs=ctx.stats["invalid"],
            transport_retries=ctx.stats["retries"],
            decided_by=decision.model if decision else "",
        )
        self._remember(run, event, ctx.obs, actions)

    def _remember(
        self, run: _RunState, event: StepEvent, obs: Observation, actions: Sequence[Action]
    ) -> None:
        outcome = "; ".join(o.message for o in event.outcomes if o.message) or (event.error or "")
        run.history.append(
            HistoryStep(
                index=event.index,
                thought=event.thought,
                actions=tuple(actions),
                raw=event.raw,
                outcome=outcome,
                url=obs.url,
                screenshot=obs.screenshot,
            )
        )
        keep = self.config.keep_screenshots
        for i, old in enumerate(run.history[:-keep] if keep else run.history):
            if old.screenshot is not None:
                run.history[i] = old.model_copy(update={"screenshot": None})
