"""The resumable benchmark runner.

A run directory holds::

    run.json            the run's spec (rewritten on every resume)
    results.jsonl       append-only record of every attempt (see benchmarks.store)
    episodes/<slug>__a<attempt>/   one agent trajectory per attempt
    partial/<...>/      trajectories of attempts an interrupted run left unfinished
    summary.json, summary.md

Resuming skips episodes whose final record carries the current configuration hash,
moves the trajectories of attempts that started but never finished to ``partial/`` as
evidence, and runs everything else again.
"""

from __future__ import annotations

import fnmatch
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screenpilot.agent.progress import Progress
from screenpilot.agent.trajectory.recorder import atomic_write_json
from screenpilot.benchmarks.executor import Executor
from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.spec import EpisodeSpec, RunSpec, TaskSpec
from screenpilot.benchmarks.store import ResultsStore, StoreState, load_state
from screenpilot.benchmarks.summary import Summary, summarize
from screenpilot.benchmarks.worker import EpisodeJob, WorkerSpec
from screenpilot.tools.errors import ConfigError

RESULTS = "results.jsonl"


def select_tasks(
    tasks: Sequence[TaskSpec], include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[TaskSpec]:
    """Tasks matching any ``include`` glob (all when empty) and no ``exclude`` glob.

    Raises:
        ConfigError: When an include pattern matches nothing (a typo should not silently
            run zero tasks).
    """
    for pattern in include:
        if not any(fnmatch.fnmatchcase(t.task_id, pattern) for t in tasks):
            raise ConfigError(f"no task matches {pattern!r}")
    chosen = [t for t in tasks if not include or any(fnmatch.fnmatchcase(t.task_id, p) for p in include)]
    return [t for t in chosen if not any(fnmatch.fnmatchcase(t.task_id, p) for p in exclude)]


def plan_episodes(tasks: Sequence[TaskSpec], episodes: int, base_seed: int = 0) -> list[EpisodeSpec]:
    """``episodes`` seeded episodes per task; episode ``i`` of every task uses seed ``base_seed + i``.

    Raises:
        ConfigError: For fewer than one episode per task (a run of nothing is a mistake).
    """
    if episodes < 1:
        raise ConfigError(f"--episodes must be at least 1, got {episodes}")
    return [EpisodeSpec(task=t, index=i, seed=base_seed + i) for t in tasks for i in range(episodes)]


@dataclass
class _Pending:
    episode: EpisodeSpec
    config_hash: str
    attempt: int
    infra_failures: int = 0


@dataclass
class RunReport:
    """What :meth:`BenchmarkRunner.run` did.

    Attributes:
        summary: The summary over every finished episode (this and earlier invocations).
        outcomes: Final outcomes, one per episode.
        ran: Episodes finished in this invocation.
        skipped: Episodes skipped because an earlier invocation finished them.
        partial: Attempts an interrupted earlier invocation left unfinished.
    """

    summary: Summary
    outcomes: list[EpisodeOutcome]
    ran: int = 0
    skipped: int = 0
    partial: list[str] = field(default_factory=list)


class BenchmarkRunner:
    """Runs episodes through an executor, retrying infrastructure failures, resumably.

    Args:
        spec: What every episode runs with.
        out_dir: The run directory.
        executor: Where episodes run.
        resume: Continue a run in ``out_dir`` (otherwise an existing run there is an error).
        progress: Shows progress (``None`` for none).
    """

    def __init__(
        self,
        spec: RunSpec,
        out_dir: Path,
        executor: Executor,
        *,
        resume: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.spec = spec
        self.out_dir = out_dir
        self.executor = executor
        self.resume = resume
        self.progress = progress

    def run(self, episodes: Sequence[EpisodeSpec]) -> RunReport:
        """Run every episode not already finished and summarise all of them."""
        results = self.out_dir / RESULTS
        if results.exists() and not self.resume:
            raise ConfigError(f"{self.out_dir} already holds a run; pass --resume to continue it")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_json(
            self.out_dir / "run.json", {"spec": self.spec.model_dump(mode="json"), "written": time.time()}
        )
        state = load_state(results)
        store = ResultsStore(results)
        store.invocation()
        try:
            partial = self._set_aside_partials(state, store)
            hashes = {e.key: self.spec.episode_hash(e) for e in episodes}
            todo = [
                _Pending(e, hashes[e.key], state.max_attempt.get(e.key, -1) + 1)
                for e in episodes
                if state.final(e.key, hashes[e.key]) is None
            ]
            if self.progress is not None:
                self.progress.reset(len(todo))
            t0 = time.monotonic()
            ran = self._execute(todo, store) if todo else 0
            elapsed = time.monotonic() - t0
        finally:
            store.invocation_end()
            store.close()
        final_state = load_state(results)
        outcomes = [o for e in episodes if (o := final_state.final(e.key, hashes[e.key])) is not None]
        summary = summarize(
            outcomes,
            benchmark=self.spec.benchmark.name,
            policy=self.spec.policy.name,
            environment=self.spec.environment.name,
            expected_episodes=len(episodes),
            # every invocation's wall time (resumed runs included); this one's for old logs
            elapsed_s=final_state.wall_s or (elapsed if ran else 0.0),
            time_limit_mode=_mode(outcomes),
        )
        return RunReport(summary, outcomes, ran=ran, skipped=len(episodes) - len(todo), partial=partial)

    # -- internals ------------------------------------------------------------------------

    def _set_aside_partials(self, state: StoreState, store: ResultsStore) -> list[str]:
        moved: list[str] = []
        for key, chash, attempt, run_dir in state.partial_attempts():
            target: str | None = None
            if run_dir:
                src = self.out_dir / run_dir
                if src.exists():
                    dest = self.out_dir / "partial" / Path(run_dir).name
                    n = 1
                    while dest.exists():
                        dest = dest.with_name(f"{Path(run_dir).name}.{n}")
                        n += 1
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(src), str(dest))
                    target = str(dest.relative_to(self.out_dir))
            store.partial(key, chash, attempt, target)
            moved.append(f"{key} attempt {attempt}")
        return moved

    def _job(self, p: _Pending) -> EpisodeJob:
        return EpisodeJob(
            episode=p.episode,
            attempt=p.attempt,
            config_hash=p.config_hash,
            run_dir=f"episodes/{p.episode.slug}__a{p.attempt}",
        )

    def _execute(self, todo: list[_Pending], store: ResultsStore) -> int:
        self.executor.start(WorkerSpec(run=self.spec, out_dir=self.out_dir.resolve()))
        queue = list(todo)
        in_flight: dict[tuple[str, int], _Pending] = {}
        finished = 0
        try:
            while queue or in_flight:
                while queue and len(in_flight) < self.executor.capacity:
                    p = queue.pop(0)
                    job = self._job(p)
                    store.started(job.episode.key, job.config_hash, job.attempt, job.run_dir)
                    self.executor.submit(job)
                    in_flight[(job.episode.key, job.attempt)] = p
                result = self.executor.next_result()
                p = in_flight.pop((result.job.episode.key, result.job.attempt))
                outcome = result.outcome
                retry = outcome.kind == "infra_error" and p.infra_failures < self.spec.max_infra_retries
                store.attempt(outcome, final=not retry)
                if retry:
                    # Retries go first so that a flaky episode does not wait behind the rest.
                    queue.insert(0, _Pending(p.episode, p.config_hash, p.attempt + 1, p.infra_failures + 1))
                    if self.progress is not None:
                        self.progress.retried()
                else:
                    finished += 1
                    if self.progress is not None:
                        self.progress.update(ok=outcome.success)
        finally:
            self.executor.close()
            if self.progress is not None:
                self.progress.close()
        return finished


def _mode(outcomes: Sequence[EpisodeOutcome]) -> str:
    modes = sorted({str(o.info["time_limit_mode"]) for o in outcomes if "time_limit_mode" in o.info})
    return ", ".join(modes)
