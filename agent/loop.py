"""The agent loop: perceive, plan, guard, act, record."""

from __future__ import annotations

import platform
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.guards import BoundsGuard, CapabilityGuard, Guard, element_at
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.repeat_detector import LoopDetector
from screenpilot.agent.result import (
    ActionOutcome,
    PointedElement,
    RunResult,
    RunStatus,
    StageTimes,
    StepEvent,
)
from screenpilot.agent.retry import backoff_delay
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.timeouts import call_with_timeout
from screenpilot.agent.trajectory.recorder import TrajectoryRecorder
from screenpilot.environments.base import Environment, SupportsActionTimeout
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Policy
from screenpilot.model.types import Decision, Feedback, FeedbackKind, HistoryStep, Usage
from screenpilot.tools.actions import TERMINAL_KINDS, Action, Answer, Terminate
from screenpilot.tools.errors import (
    Aborted,
    ActionRejected,
    DriverError,
    EnvCrashed,
    EnvironmentFault,
    EnvTimeout,
    LoopDetected,
    ModelOutputError,
    ModelTimeout,
    ModelTransportError,
    ScreenpilotError,
)

StepCallback = Callable[[StepEvent], None]


class _Finished(Exception):
    """Internal: the run reached an end state."""

    def __init__(self, status: RunStatus, reason: str = "", answer: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.answer = status, reason, answer


@dataclass
class _RunState:
    run_id: str
    task: str
    started: float
    recorder: TrajectoryRecorder | None
    history: list[HistoryStep] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failures: int = 0
    steps: int = 0
    totals: dict[str, float] = field(default_factory=dict)


@dataclass
class _StepCtx:
    index: int
    obs: Observation
    shot: str | None
    feedback_in: tuple[str, ...] = ()
    stats: dict[str, int] = field(default_factory=lambda: {"invalid": 0, "retries": 0})
    times: dict[str, float] = field(default_factory=dict)


def pointed_elements(obs: Observation, actions: Sequence[Action]) -> tuple[PointedElement | None, ...]:
    """The element under each action's first point, so a run can be compiled into a workflow."""
    if not obs.elements:
        return ()
    out: list[PointedElement | None] = []
    for action in actions:
        el = element_at(obs, action)
        out.append(
            PointedElement(id=el.id, role=el.role, tag=el.tag, label=el.label, box=el.box) if el else None
        )
    return tuple(out)


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


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
    ) -> None:
        self.env = env
        self.policy = policy
        self.config = config or AgentConfig()
        self.secrets = secrets or SecretStore()
        self.kill_switch = kill_switch or KillSwitch(self.config.abort_file)
        if self.kill_switch.abort_file is None:
            self.kill_switch.abort_file = self.config.abort_file
        self.guards: list[Guard] = [CapabilityGuard(env.capabilities), BoundsGuard(), *guards]
        if isinstance(env, SupportsActionTimeout):
            env.set_action_timeout(self.config.action_timeout_s)
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.on_step = list(on_step)
        self.manifest_extra = manifest_extra or {}

    # -- public ---------------------------------------------------------------------------

    def run(self, task: str, *, reset: bool = True, run_id: str | None = None) -> RunResult:
        """Run ``task`` until it ends; always leaves a readable trajectory.

        Raises:
            Aborted: When the kill switch fired (after the result is recorded).
        """
        rid = run_id or new_run_id()
        # The policy sees the task too: a secret written into it is masked like everywhere else.
        run = _RunState(
            run_id=rid, task=self.secrets.redact(task), started=time.monotonic(), recorder=self._recorder(rid)
        )
        self._write_manifest(run)
        detector = LoopDetector(self.config.loop)
        aborted: Aborted | None = None
        status: RunStatus
        try:
            self._loop(run, detector, reset)
            status, reason, answer = "truncated", f"step budget of {self.config.max_steps} spent", None
        except _Finished as f:
            status, reason, answer = f.status, f.reason, f.answer
        except Aborted as e:
            aborted, status, reason, answer = e, "aborted", str(e), None
        except ScreenpilotError as e:
            status, reason, answer = "error", f"{type(e).__name__}: {e}", None
        except Exception as e:  # a bug: record it so the trajectory explains the crash
            self._event(run, "crash", error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc())
            status, reason, answer = "error", f"{type(e).__name__}: {e}", None
        result = self._finish(run, status, reason, answer)
        if aborted is not None:
            raise aborted
        return result

    # -- the loop -------------------------------------------------------------------------

    def _loop(self, run: _RunState, detector: LoopDetector, reset: bool) -> None:
        obs: Observation | None = self._timed(run, "observe_s", self.env.reset) if reset else None
        for index in range(self.config.max_steps):
            self.kill_switch.check()
            self._check_clock(run)
            if obs is None:
                obs = self._timed(run, "observe_s", self.env.observe)
            self._step(run, index, obs, detector)
            obs = None

    def _step(self, run: _RunState, index: int, obs: Observation, detector: LoopDetector) -> None:
        ctx = _StepCtx(index=index, obs=obs, shot=self._save_shot(run, obs))
        ctx.times["observe_s"] = run.totals.pop("_last_observe_s", 0.0)
        run.feedback.extend(Feedback(kind="notice", message=n) for n in obs.notices)
        ctx.feedback_in = tuple(f.message for f in run.feedback)
        t0 = time.monotonic()
        try:
            decision = self._decide(run, obs, ctx.stats)
        except ModelOutputError as e:
            ctx.times["predict_s"] = time.monotonic() - t0
            self._failed_step(run, ctx, e)
            return
        ctx.times["predict_s"] = time.monotonic() - t0
        run.usage = run.usage + decision.usage
        run.feedback = []
        outcomes = self._act(run, obs, decision, ctx.times)
        self._after_step(run, ctx, decision, outcomes)
        self._check_loop(run, detector, decision, obs)

    def _after_step(
        self, run: _RunState, ctx: _StepCtx, decision: Decision, outcomes: list[ActionOutcome]
    ) -> None:
        failed = any(not o.ok for o in outcomes)
        run.failures = run.failures + 1 if failed else 0
        event = StepEvent(
            index=ctx.index,
            screenshot=ctx.shot,
            geometry=ctx.obs.geometry,
            url=ctx.obs.url,
            title=ctx.obs.title,
            notices=ctx.obs.notices,
            thought=decision.thought,
            raw=decision.raw,
            outcomes=tuple(outcomes),
            feedback=ctx.feedback_in,
            usage=decision.usage,
            times=StageTimes(**ctx.times),
            invalid_outputs=ctx.stats["invalid"],
            transport_retries=ctx.stats["retries"],
            targets=pointed_elements(ctx.obs, decision.actions),
        )
        self._record_step(run, event, ctx.obs, decision.actions)
        self._check_failures(run)
        terminal = [a for a in decision.actions if a.action in TERMINAL_KINDS]
        if terminal and all(o.ok for o in outcomes):
            raise self._terminal(terminal[0])

    def _failed_step(self, run: _RunState, ctx: _StepCtx, error: ModelOutputError) -> None:
        run.failures += 1
        run.feedback = [Feedback(kind="invalid_output", message=str(error), raw=error.raw)]
        event = StepEvent(
            index=ctx.index,
            screenshot=ctx.shot,
            geometry=ctx.obs.geometry,
            url=ctx.obs.url,
            title=ctx.obs.title,
            notices=ctx.obs.notices,
            raw=error.raw,
            feedback=ctx.feedback_in,
            error=f"ModelOutputError: {error}",
            times=StageTimes(**ctx.times),
            invalid_outputs=ctx.stats["invalid"],
            transport_retries=ctx.stats["retries"],
        )
        self._record_step(run, event, ctx.obs, ())
        self._check_failures(run)

    # -- deciding -------------------------------------------------------------------------

    def _decide(self, run: _RunState, obs: Observation, stats: dict[str, int]) -> Decision:
        feedback = list(run.feedback)
        while True:
            self.kill_switch.check()
            timeout = min(self.config.model_timeout_s, self._remaining(run))
            try:
                return call_with_timeout(
                    partial(self.policy.predict, run.task, obs, tuple(run.history), tuple(feedback)),
                    timeout,
                    partial(ModelTimeout, f"the model did not answer within {timeout:.1f}s"),
                )
            except ModelOutputError as e:
                stats["invalid"] += 1
                self._event(run, "invalid_output", error=str(e), raw=e.raw)
                if stats["invalid"] > self.config.max_output_retries:
                    raise
                feedback.append(Feedback(kind="invalid_output", message=str(e), raw=e.raw))
            except ModelTransportError as e:
                self._check_clock(run)
                stats["retries"] += 1
                if stats["retries"] >= self.config.retry.attempts:
                    raise
                delay = backoff_delay(stats["retries"], self.config.retry, retry_after=e.retry_after)
                self._event(run, "model_retry", error=f"{type(e).__name__}: {e}", delay_s=delay)
                self.kill_switch.sleep(min(delay, max(0.0, self._remaining(run))))

    # -- acting ---------------------------------------------------------------------------

    def _act(
        self, run: _RunState, obs: Observation, decision: Decision, times: dict[str, float]
    ) -> list[ActionOutcome]:
        outcomes: list[ActionOutcome] = []
        for action in decision.actions:
            self.kill_switch.check()
            if action.action in TERMINAL_KINDS:
                outcomes.append(ActionOutcome(action=action, ok=True, message="finished"))
                break
            outcome = self._execute(run, obs, action, times)
            outcomes.append(outcome)
            if not outcome.ok:
                break
        return outcomes

    def _execute(
        self, run: _RunState, obs: Observation, action: Action, times: dict[str, float]
    ) -> ActionOutcome:
        try:
            for guard in self.guards:
                guard.check(action, obs)
            resolved = self.secrets.resolve(action)
            t0 = time.monotonic()
            result = self.env.execute(resolved)
            times["act_s"] = times.get("act_s", 0.0) + time.monotonic() - t0
            self._settle(run, times)
        except ActionRejected as e:
            return self._fail(run, action, e, "rejected")
        except EnvCrashed as e:
            self._recover(run, e)
            return self._fail(run, action, e, "action_error")
        except (DriverError, EnvTimeout) as e:
            return self._fail(run, action, e, "action_error")
        for notice in result.notices:
            run.feedback.append(Feedback(kind="notice", message=notice))
        return ActionOutcome(action=action, ok=result.ok, message=self.secrets.redact(result.message))

    def _fail(
        self, run: _RunState, action: Action, error: ScreenpilotError, kind: FeedbackKind
    ) -> ActionOutcome:
        message = self.secrets.redact(f"{action.describe()} failed: {error}")
        run.feedback.append(Feedback(kind=kind, message=message))
        return ActionOutcome(
            action=action, ok=False, message=self.secrets.redact(str(error)), error_type=type(error).__name__
        )

    def _recover(self, run: _RunState, error: EnvironmentFault) -> None:
        self._event(run, "env_recover", error=str(error))
        self.env.reset()
        run.feedback.append(
            Feedback(
                kind="notice",
                message=f"the environment crashed and was reset ({error}); the screen may have changed",
            )
        )

    def _settle(self, run: _RunState, times: dict[str, float]) -> None:
        budget = min(self.config.settle_timeout_s, max(0.0, self._remaining(run)))
        if budget > 0:
            settled = self.env.settle(budget)
            times["settle_s"] = times.get("settle_s", 0.0) + settled.elapsed_s

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
            self._event(run, "loop_nudge", repeats=count)
            run.feedback.append(
                Feedback(
                    kind="loop",
                    message=f"You have done the same thing {count} times and the screen did not "
                    "change. Try a different action or target.",
                )
            )

    def _check_failures(self, run: _RunState) -> None:
        if run.failures >= self.config.max_consecutive_failures:
            raise _Finished("error", f"{run.failures} consecutive failed steps")

    def _check_clock(self, run: _RunState) -> None:
        if self._remaining(run) <= 0:
            raise _Finished("timeout", f"time budget of {self.config.max_seconds:g}s spent")

    def _remaining(self, run: _RunState) -> float:
        return self.config.max_seconds - (time.monotonic() - run.started)

    # -- recording ------------------------------------------------------------------------

    def _timed(self, run: _RunState, key: str, fn: Callable[[], Observation]) -> Observation:
        t0 = time.monotonic()
        obs = fn()
        run.totals["_last_observe_s"] = time.monotonic() - t0
        return obs

    def _recorder(self, run_id: str) -> TrajectoryRecorder | None:
        if self.out_dir is None:
            return None
        return TrajectoryRecorder(self.out_dir / run_id, self.secrets)

    def _save_shot(self, run: _RunState, obs: Observation) -> str | None:
        if run.recorder is None or not self.config.record_screenshots:
            return None
        return run.recorder.save_screenshot(obs.screenshot)

    def _event(self, run: _RunState, kind: str, **data: Any) -> None:
        if run.recorder is not None:
            run.recorder.event(kind, **data)

    def _record_step(
        self, run: _RunState, event: StepEvent, obs: Observation, actions: Sequence[Action]
    ) -> None:
        run.steps += 1
        for key, value in event.times.model_dump().items():
            run.totals[key] = run.totals.get(key, 0.0) + value
        self._event(run, "step", **event.model_dump(mode="json"))
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
        for callback in self.on_step:
            callback(event)

    def _write_manifest(self, run: _RunState) -> None:
        if run.recorder is None:
            return
        from screenpilot._version import __version__

        run.recorder.write_manifest(
            {
                "run_id": run.run_id,
                "task": run.task,
                "created": time.time(),
                "screenpilot": __version__,
                "python": platform.python_version(),
                "policy": self.policy.name,
                "model": getattr(self.policy, "model_id", self.policy.name),
                "prompt_version": getattr(self.policy, "prompt_version", None),
                "capabilities": sorted(self.env.capabilities.actions),
                "platform": self.env.capabilities.platform,
                "config": self.config.model_dump(mode="json"),
                **self.manifest_extra,
            }
        )
        self._event(run, "run_started", task=run.task)

    def _finish(self, run: _RunState, status: RunStatus, reason: str, answer: str | None) -> RunResult:
        times = StageTimes(**{k: v for k, v in run.totals.items() if not k.startswith("_")})
        result = RunResult(
            run_id=run.run_id,
            status=status,
            reason=reason,
            answer=answer,
            steps=run.steps,
            elapsed_s=time.monotonic() - run.started,
            usage=run.usage,
            run_dir=run.recorder.run_dir if run.recorder else None,
            times=times,
        )
        if run.recorder is not None:
            self._event(run, "run_finished", status=status, reason=reason)
            run.recorder.finish(result.model_dump(mode="json"))
        return result
