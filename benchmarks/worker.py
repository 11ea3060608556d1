"""Runs episodes inside one worker: builds its own environment and policy from specs."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import RunResult, StageTimes, StepEvent
from screenpilot.benchmarks.evaluator import Benchmark, EpisodeContext, EpisodeSetup, Evaluator
from screenpilot.benchmarks.outcome import EpisodeOutcome, OutcomeKind
from screenpilot.benchmarks.registry import create_benchmark
from screenpilot.benchmarks.spec import EpisodeSpec, RunSpec
from screenpilot.benchmarks.watch import (
    INFRA_ERRORS,
    InfraWatch,
    JudgedPolicy,
    judge_after_step,
    watched,
)
from screenpilot.environments.base import Environment
from screenpilot.model.policy import Policy
from screenpilot.tools.errors import EnvironmentFault, ModelTransportError, ScreenpilotError


class EpisodeJob(BaseModel):
    """One attempt, as sent to a worker.

    Attributes:
        episode: The episode.
        attempt: Attempt number.
        config_hash: The run's hash for this episode.
        run_dir: Trajectory directory relative to the run's output directory.
    """

    model_config = ConfigDict(frozen=True)

    episode: EpisodeSpec
    attempt: int
    config_hash: str
    run_dir: str


class WorkerSpec(BaseModel):
    """What a worker process needs to build everything itself (picklable)."""

    model_config = ConfigDict(frozen=True)

    run: RunSpec
    out_dir: Path


def infra_outcome(
    job: EpisodeJob, error: BaseException, *, elapsed_s: float = 0.0, worker: int = 0
) -> EpisodeOutcome:
    """The outcome of an attempt that the infrastructure broke."""
    return EpisodeOutcome(
        key=job.episode.key,
        config_hash=job.config_hash,
        attempt=job.attempt,
        task_id=job.episode.task.task_id,
        index=job.episode.index,
        seed=job.episode.seed,
        kind="infra_error",
        reason=f"{type(error).__name__}: {error}",
        error_type=type(error).__name__,
        elapsed_s=elapsed_s,
        run_dir=job.run_dir,
        worker=worker,
    )


@runtime_checkable
class TakesAnswer(Protocol):
    """An environment whose task is judged on the agent's final answer (BrowserGym's chat:
    WebArena's string-match tasks); the worker hands the answer over before the verdict."""

    def deliver_answer(self, text: str) -> None: ...


PolicyFactory = Callable[[], Policy]
EnvFactory = Callable[[], Environment]


class EpisodeWorker:
    """Builds the environment and policy once, then runs attempts one after another.

    An infrastructure failure throws the environment away so that the next attempt gets
    a fresh one (a crashed browser is relaunched). Errors that are the user's
    (``ConfigError``) and bugs propagate: the runner stops.

    Args:
        spec: The run and its output directory.
        worker_id: Number of this worker, for the records.
        make_policy: Builds the policy instead of the registry (in-process runs, tests).
        make_env: Builds the environment instead of the registry.
        kill_switch: Stops the episode in progress (it ends ``aborted`` and ``run`` raises
            :class:`~tools.errors.Aborted`).
    """

    def __init__(
        self,
        spec: WorkerSpec,
        worker_id: int = 0,
        *,
        make_policy: PolicyFactory | None = None,
        make_env: EnvFactory | None = None,
        kill_switch: KillSwitch | None = None,
    ) -> None:
        self.spec = spec
        self.worker_id = worker_id
        self.kill_switch = kill_switch
        self._make_policy = make_policy
        self._make_env = make_env
        self._benchmark: Benchmark | None = None
        self._evaluator: Evaluator | None = None
        self._policy: Policy | None = None
        self._env: Environment | None = None

    # -- building -------------------------------------------------------------------------

    def _bench(self) -> tuple[Benchmark, Evaluator]:
        if self._benchmark is None or self._evaluator is None:
            b = self.spec.run.benchmark
            self._benchmark = create_benchmark(b.name, b.options)
            self._evaluator = self._benchmark.evaluator()
        return self._benchmark, self._evaluator

    def _environment(self) -> Environment:
        if self._env is None:
            if self._make_env is not None:
                self._env = self._make_env()
            else:
                from screenpilot.agent.registry import create

                bench, _ = self._bench()
                e = self.spec.run.environment
                options: dict[str, Any] = {**bench.environment_defaults(), **e.options}
                self._env = create("environments", e.name, options)
        return self._env

    def _get_policy(self) -> Policy:
        if self._policy is None:
            if self._make_policy is not None:
                self._policy = self._make_policy()
            else:
                from screenpilot.agent.registry import create

                p = self.spec.run.policy
                self._policy = create("policies", p.name, p.options)
        return self._policy

    def _drop_env(self) -> None:
        env, self._env = self._env, None
        if env is not None:
            with contextlib.suppress(ScreenpilotError):
                env.close()

    # -- running --------------------------------------------------------------------------

    def run(self, job: EpisodeJob) -> EpisodeOutcome:
        """Run one attempt and judge it."""
        t0 = time.monotonic()
        _, evaluator = self._bench()
        ctx = EpisodeContext(
            episode=job.episode, attempt=job.attempt, time_limit_s=self.spec.run.episode_time_limit_s
        )
        try:
            policy = self._get_policy()
            env = self._environment()
            setup = evaluator.start(env, ctx)
        except (EnvironmentFault, ModelTransportError) as e:
            # Launch failures and set-up crashes: the machinery, not the policy.
            self._drop_env()
            return infra_outcome(job, e, elapsed_s=time.monotonic() - t0, worker=self.worker_id)
        return self._episode(job, env=env, policy=policy, evaluator=evaluator, setup=setup, t0=t0)

    def _episode(
        self,
        job: EpisodeJob,
        *,
        env: Environment,
        policy: Policy,
        evaluator: Evaluator,
        setup: EpisodeSetup,
        t0: float,
    ) -> EpisodeOutcome:
        run = self.spec.run
        watch = InfraWatch()
        watched_env = watched(env, watch)
        step_times: list[StageTimes] = []

        def on_step(event: StepEvent) -> None:
            step_times.append(event.times)
            judge_after_step(evaluator, env, watch)

        config = run.agent.model_copy(
            update={"max_seconds": min(run.agent.max_seconds, run.episode_time_limit_s)}
        )
        run_dir = self.spec.out_dir / job.run_dir
        agent = Agent(
            watched_env,
            JudgedPolicy(policy, watch),
            config,
            out_dir=run_dir.parent,
            kill_switch=self.kill_switch,
            on_step=[on_step],
            manifest_extra=self._manifest(job, setup),
        )
        result = agent.run(setup.instruction, reset=False, run_id=run_dir.name)
        try:
            if watch.verdict is None and result.answer is not None and isinstance(env, TakesAnswer):
                env.deliver_answer(result.answer)
            verdict = watch.verdict or evaluator.finish(env)
        except INFRA_ERRORS as e:
            watch.note(e)
            verdict = None
        kind = self._classify(result, watch, verdict is not None and verdict.success)
        if kind == "infra_error":
            self._drop_env()
        error = watch.errors[-1] if watch.errors else None
        return EpisodeOutcome(
            key=job.episode.key,
            config_hash=job.config_hash,
            attempt=job.attempt,
            task_id=job.episode.task.task_id,
            index=job.episode.index,
            seed=job.episode.seed,
            kind=kind,
            reward=verdict.reward if verdict else 0.0,
            reason=self._reason(kind, result, verdict, error),
            run_status=result.status,
            error_type=type(error).__name__ if kind == "infra_error" and error else None,
            steps=watch.decisions,
            elapsed_s=time.monotonic() - t0,
            usage=result.usage,
            step_times=tuple(step_times),
            instruction=setup.instruction,
            info=setup.info,
            run_dir=job.run_dir,
            worker=self.worker_id,
        )

    @staticmethod
    def _classify(result: RunResult, watch: InfraWatch, success: bool) -> OutcomeKind:
        if success:
            return "success"
        # A crash loses the task's state even when the agent recovered; a run that ended
        # in an error after an infrastructure error ended because of it.
        if watch.crashed or (result.status == "error" and watch.errors):
            return "infra_error"
        return "failure"

    @staticmethod
    def _reason(kind: OutcomeKind, result: RunResult, verdict: Any, error: BaseException | None) -> str:
        if kind == "infra_error" and error is not None:
            return f"{type(error).__name__}: {error}"
        if verdict is not None and verdict.done:
            return verdict.reason or ("solved" if verdict.success else "task failed")
        return f"agent stopped ({result.status}: {result.reason}) before the task was done"

    def _manifest(self, job: EpisodeJob, setup: EpisodeSetup) -> dict[str, Any]:
        run = self.spec.run
        return {
            "benchmark": run.benchmark.model_dump(mode="json"),
            "environment": run.environment.model_dump(mode="json"),
            "policy_spec": run.policy.model_dump(mode="json"),
            "episode": job.episode.model_dump(mode="json"),
            "attempt": job.attempt,
            "config_hash": job.config_hash,
            "setup": setup.model_dump(mode="json"),
        }

    def close(self) -> None:
        """Close the environment and the benchmark."""
        self._drop_env()
        if self._benchmark is not None:
            self._benchmark.close()
            self._benchmark = None
