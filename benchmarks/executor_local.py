"""Episodes spread over local worker processes, each with its own environment and policy."""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from screenpilot.agent.killswitch import KillSwitch
from screenpilot.benchmarks.executor import JobResult
from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.worker import EpisodeJob, EpisodeWorker, WorkerSpec, infra_outcome
from screenpilot.tools.errors import Aborted, ConfigError, EnvCrashed, EnvTimeout, ScreenpilotError

_JOIN_S = 10.0
STARTUP_S = 60.0
"""Time a fresh worker process gets to start (imports) before its attempt's clock runs."""

DEFAULT_RECYCLE_AFTER = 50
"""Episodes a worker process runs before a fresh one replaces it."""


def reply(worker: EpisodeWorker, job_json: str) -> tuple[str, str]:
    """Run one job and say how it went: ``("ok", outcome_json)``, ``("aborted", reason)`` when
    the kill switch stopped it, or ``("config", message)`` / ``("bug", traceback)`` for errors
    that must stop the run (every remote executor answers in these terms)."""
    job = EpisodeJob.model_validate_json(job_json)
    try:
        outcome = worker.run(job)
    except Aborted as e:
        return ("aborted", str(e))
    except ConfigError as e:
        return ("config", str(e))
    except Exception:  # a bug: report it whole and let the runner stop
        return ("bug", traceback.format_exc())
    return ("ok", outcome.model_dump_json())


def worker_main(conn: Connection, spec_json: str, worker_id: int) -> None:
    """Body of a worker process: build lazily, run jobs until told to stop.

    Replies are ``("ready", "")`` once imported, then one :func:`reply` per job.
    SIGINT (Ctrl+C in a terminal reaches the whole process group) and SIGTERM (the executor
    closing with work in flight) stop the episode in progress: it is recorded as
    ``aborted``, the worker answers ``("aborted", reason)`` and exits.
    """
    kill = KillSwitch()
    kill.install_signal_handlers()
    worker = EpisodeWorker(WorkerSpec.model_validate_json(spec_json), worker_id, kill_switch=kill)
    conn.send(("ready", ""))
    try:
        while not kill.tripped:
            message = conn.recv()
            if message is None:
                return
            answer = reply(worker, message)
            conn.send(answer)
            if answer[0] == "aborted":
                return
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        return  # a second Ctrl+C, or the runner is gone: nothing is left to report to
    finally:
        worker.close()


@dataclass
class _Slot:
    index: int
    process: BaseProcess | None = None
    conn: Connection | None = None
    job: EpisodeJob | None = None
    deadline: float = 0.0
    started: float = 0.0
    ready: bool = False
    done: int = 0
    """Episodes this slot's current process has finished."""


class LocalProcessExecutor:
    """A pool of ``workers`` processes (``spawn``ed, so no parent state leaks in).

    Each worker builds its environment and policy from the picklable spec and keeps them
    across episodes. A worker that dies takes only its current attempt with it (reported
    as ``EnvCrashed``); one whose attempt overruns ``time limit + grace`` is killed and
    replaced (reported as ``EnvTimeout``). Both are infrastructure failures and retried.

    A worker is retired after ``recycle_after`` episodes and a fresh one takes its slot
    (``0`` keeps workers for the whole run): whatever a browser or a model library
    accumulates over hundreds of episodes goes away with the process.
    """

    def __init__(self, workers: int, *, recycle_after: int = DEFAULT_RECYCLE_AFTER) -> None:
        if workers < 1:
            raise ConfigError("the process executor needs at least one worker")
        if recycle_after < 0:
            raise ConfigError(f"recycle_after must be 0 (never) or more, got {recycle_after}")
        self.recycle_after = recycle_after
        self.spawned = 0
        """Worker processes started so far (replacements and recycled ones included)."""
        self._retiring: list[BaseProcess] = []
        self._slots = [_Slot(i) for i in range(workers)]
        self._ctx = mp.get_context("spawn")
        self._spec_json = ""
        self._limit_s = 0.0

    @property
    def capacity(self) -> int:
        return len(self._slots)

    def start(self, spec: WorkerSpec) -> None:
        self._spec_json = spec.model_dump_json()
        self._limit_s = spec.run.episode_time_limit_s + spec.run.hard_kill_grace_s

    def _spawn(self, slot: _Slot) -> None:
        self._reap(wait_s=0.0)
        slot.done = 0
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker_main, args=(child, self._spec_json, slot.index), name=f"bench-worker-{slot.index}"
        )
        process.start()
        self.spawned += 1
        child.close()
        slot.process, slot.conn = process, parent

    def submit(self, job: EpisodeJob) -> None:
        slot = next((s for s in self._slots if s.job is None), None)
        if slot is None:
            raise ScreenpilotError("submit() with every worker busy")
        if slot.process is None or not slot.process.is_alive():
            self._spawn(slot)
            # The attempt's clock starts when the fresh process says it is ready.
            slot.ready = False
        assert slot.conn is not None
        slot.job, slot.started = job, time.monotonic()
        slot.deadline = slot.started + (self._limit_s if slot.ready else STARTUP_S + self._limit_s)
        slot.conn.send(job.model_dump_json())

    def next_result(self) -> JobResult:
        while True:
            busy = [s for s in self._slots if s.job is not None]
            if not busy:
                raise ScreenpilotError("next_result() with nothing in flight")
            now = time.monotonic()
            overdue = next((s for s in busy if s.deadline <= now), None)
            if overdue is not None:
                return self._kill(
                    overdue, EnvTimeout(f"episode overran the hard limit of {self._limit_s:g}s")
                )
            timeout = min(s.deadline for s in busy) - now
            ready = wait([s.conn for s in busy if s.conn is not None], timeout=max(0.0, timeout))
            for slot in busy:
                if slot.conn in ready and (result := self._receive(slot)) is not None:
                    return result

    def _receive(self, slot: _Slot) -> JobResult | None:
        assert slot.conn is not None and slot.job is not None
        try:
            kind, payload = slot.conn.recv()
        except (EOFError, OSError):
            code = slot.process.exitcode if slot.process else None
            return self._kill(slot, EnvCrashed(f"worker process {slot.index} died (exit code {code})"))
        if kind == "ready":
            slot.ready = True
            slot.started = time.monotonic()
            slot.deadline = slot.started + self._limit_s
            return None
        job, slot.job = slot.job, None
        if kind == "config":
            raise ConfigError(payload)
        if kind == "aborted":
            raise Aborted(payload)
        if kind == "bug":
            raise ScreenpilotError(f"worker {slot.index} failed on {job.episode.key}:\n{payload}")
        slot.done += 1
        if self.recycle_after and slot.done >= self.recycle_after:
            self._retire(slot)
        return JobResult(job=job, outcome=EpisodeOutcome.model_validate_json(payload))

    def _retire(self, slot: _Slot) -> None:
        """Ask the slot's process to finish (it closes its browser) while a fresh one starts."""
        if slot.conn is not None:
            try:
                slot.conn.send(None)
            except (BrokenPipeError, OSError):
                if slot.process is not None:
                    slot.process.kill()
            slot.conn.close()
        if slot.process is not None:
            self._retiring.append(slot.process)
        slot.process, slot.conn = None, None

    def _reap(self, wait_s: float) -> None:
        """Join retired processes that have ended; after ``wait_s``, kill the rest."""
        still: list[BaseProcess] = []
        for process in self._retiring:
            process.join(wait_s)
            if process.is_alive() and wait_s > 0:
                process.kill()
                process.join(_JOIN_S)
            if process.is_alive():
                still.append(process)
        self._retiring = still

    def _kill(self, slot: _Slot, error: Exception) -> JobResult:
        assert slot.job is not None
        job, slot.job = slot.job, None
        elapsed = time.monotonic() - slot.started
        if slot.process is not None:
            slot.process.kill()
            slot.process.join(_JOIN_S)
        if slot.conn is not None:
            slot.conn.close()
        slot.process, slot.conn = None, None
        return JobResult(job=job, outcome=infra_outcome(job, error, elapsed_s=elapsed, worker=slot.index))

    def close(self) -> None:
        """Stop every worker: idle ones when told, busy ones (the run was interrupted) by
        SIGTERM, which aborts their episode cleanly; any still alive after a grace is killed."""
        for slot in self._slots:
            if slot.conn is not None and slot.process is not None and slot.process.is_alive():
                if slot.job is not None:
                    slot.process.terminate()
                    continue
                try:
                    slot.conn.send(None)
                except (BrokenPipeError, OSError):
                    slot.process.kill()
        for slot in self._slots:
            if slot.process is not None:
                slot.process.join(_JOIN_S)
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join(_JOIN_S)
            if slot.conn is not None:
                slot.conn.close()
            slot.process, slot.conn, slot.job = None, None, None
        self._reap(wait_s=_JOIN_S)
