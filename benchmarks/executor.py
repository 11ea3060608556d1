"""The executor seam: where episodes run.

The runner hands attempts to an :class:`Executor` and takes back outcomes; it never knows
whether they ran in this process (:class:`InlineExecutor`), in local worker processes
(:class:`~benchmarks.executor_local.LocalProcessExecutor`), or on a cluster.

A Ray engine for runs that outgrow one machine fits behind the same four methods: ``start``
creates ``capacity`` actors that each build an :class:`~benchmarks.worker.EpisodeWorker`
from the (picklable) :class:`~benchmarks.worker.WorkerSpec`; ``submit`` calls
``actor.run.remote(job)`` on an idle actor; ``next_result`` is ``ray.wait`` over the
pending references with the hard deadline as timeout (killing and replacing an actor
whose episode overran, and reporting an ``EnvTimeout`` outcome); ``close`` kills the
actors. Trajectories are written by workers, so the output directory must then be on a
shared file system. The runner, the results log and resuming stay as they are.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.worker import EnvFactory, EpisodeJob, EpisodeWorker, PolicyFactory, WorkerSpec


class JobResult(BaseModel):
    """An attempt handed back by an executor."""

    model_config = ConfigDict(frozen=True)

    job: EpisodeJob
    outcome: EpisodeOutcome


@runtime_checkable
class Executor(Protocol):
    """Runs attempts, at most :attr:`capacity` at a time.

    Executors turn every failure of their own machinery (a worker that died, an episode
    that overran its hard limit) into an ``infra_error`` outcome; they raise only for
    errors that must stop the run (``ConfigError``, a bug in a worker).
    """

    @property
    def capacity(self) -> int:
        """How many attempts may be in flight."""
        ...

    def start(self, spec: WorkerSpec) -> None:
        """Prepare workers for ``spec``."""
        ...

    def submit(self, job: EpisodeJob) -> None:
        """Start ``job`` now (the runner submits only while fewer than ``capacity`` run)."""
        ...

    def next_result(self) -> JobResult:
        """Block until an attempt in flight ends and return it."""
        ...

    def close(self) -> None:
        """Stop every worker."""
        ...


class InlineExecutor:
    """Runs attempts one at a time in this process (debugging, tests, tiny runs).

    Args:
        make_policy: Builds the policy instead of the registry, so tests can run
            in-process policies such as :class:`~model.scripted.FunctionPolicy`.
        make_env: Builds the environment instead of the registry.
    """

    def __init__(
        self, *, make_policy: PolicyFactory | None = None, make_env: EnvFactory | None = None
    ) -> None:
        self._make_policy = make_policy
        self._make_env = make_env
        self._worker: EpisodeWorker | None = None
        self._pending: list[EpisodeJob] = []

    @property
    def capacity(self) -> int:
        return 1

    def start(self, spec: WorkerSpec) -> None:
        self._worker = EpisodeWorker(spec, 0, make_policy=self._make_policy, make_env=self._make_env)

    def submit(self, job: EpisodeJob) -> None:
        self._pending.append(job)

    def next_result(self) -> JobResult:
        assert self._worker is not None, "start() first"
        job = self._pending.pop(0)
        return JobResult(job=job, outcome=self._worker.run(job))

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
