"""Episodes on a Ray cluster: one actor per worker slot, each with its own browser and policy.

Each actor builds an :class:`~benchmarks.worker.EpisodeWorker` from the picklable
:class:`~benchmarks.worker.WorkerSpec` and keeps its environment across episodes, exactly
like a local worker process. Slots are placed per node (``workers_per_node``, else the
node's ``screenpilot_worker`` resource, else its CPU count) and pinned there, so a node
gets only as many browsers as it can hold. Outcomes come back to the driver, which writes
them to the run's one results log, so ``--resume`` works across executors.

A dead actor (its process or its whole node killed) takes only its current attempt with
it: the attempt is reported as an ``EnvCrashed`` infrastructure failure, the runner
retries it within its budget, and the slot is re-placed on a live node. An attempt that
overruns ``time limit + grace`` has its actor killed (``EnvTimeout``). Trajectories are
written by the actors, so on a real cluster the run directory must be on a shared file
system.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.executor import JobResult
from screenpilot.benchmarks.executor_local import STARTUP_S, reply
from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.worker import EpisodeJob, EpisodeWorker, WorkerSpec, infra_outcome
from screenpilot.tools.errors import Aborted, ConfigError, EnvCrashed, EnvTimeout, ScreenpilotError

log = logging.getLogger(__name__)

RESOURCE = "screenpilot_worker"
"""Custom Ray resource a node may declare (``ray start --resources='{"screenpilot_worker": 4}'``)
to say how many browser workers it holds."""


class RayExecutorConfig(BaseModel):
    """Where and how wide a Ray run goes.

    Attributes:
        address: Cluster to join (``ray://HEAD:10001``, ``HEAD:6379`` or ``auto``);
            ``None`` starts a one-node Ray on this machine for the run.
        workers_per_node: Worker slots on every node; ``None`` reads each node's
            ``screenpilot_worker`` resource, else its CPU count.
        max_workers: Cap on slots over the whole cluster.
        cpus_per_worker: CPUs each actor reserves from Ray's accounting.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    address: str | None = None
    workers_per_node: int | None = Field(default=None, ge=1)
    max_workers: int | None = Field(default=None, ge=1)
    cpus_per_worker: float = Field(default=0.0, ge=0.0)


class EpisodeActor:
    """Body of one Ray actor: an :class:`EpisodeWorker` that answers like a worker process."""

    def __init__(self, spec_json: str, worker_id: int) -> None:
        self._worker = EpisodeWorker(WorkerSpec.model_validate_json(spec_json), worker_id)

    def ready(self) -> int:
        """Returns once the actor's process has imported everything (its pid)."""
        import os

        return os.getpid()

    def run(self, job_json: str) -> tuple[str, str]:
        """One attempt, answered as :func:`~screenpilot.benchmarks.executor_local.reply` does."""
        return reply(self._worker, job_json)

    def close(self) -> None:
        self._worker.close()


@dataclass
class _Slot:
    index: int
    node_id: str
    actor: Any = None
    ref: Any = None
    job: EpisodeJob | None = None
    deadline: float = 0.0
    started: float = 0.0
    fresh: bool = True
    retired: bool = False


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("the Ray executor needs Ray: pip install 'screenpilot[ray]'") from None
    return ray


class RayExecutor:
    """Runs attempts on Ray actors (see the module docstring).

    Args:
        config: Cluster address and slot placement.
    """

    def __init__(self, config: RayExecutorConfig | None = None) -> None:
        self.config = config or RayExecutorConfig()
        self._ray: Any = None
        self._actor_cls: Any = None
        self._owns_ray = False
        self._slots: list[_Slot] = []
        self._spec_json = ""
        self._limit_s = 0.0
        self._placed: tuple[str, ...] = ()
        self._gone: set[str] = set()
        """Nodes where a fresh actor could not start: dead to this run, whatever the GCS says yet."""

    @property
    def capacity(self) -> int:
        return sum(1 for s in self._slots if not s.retired)

    @property
    def placement(self) -> tuple[str, ...]:
        """The Ray node id of every slot, as placed by :meth:`start`."""
        return self._placed

    # -- start and placement ----------------------------------------------------------------

    def start(self, spec: WorkerSpec) -> None:
        ray = self._ray = _ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
            if self.config.address is None:
                kwargs["include_dashboard"] = False  # a Ray of our own, for this run only
            ray.init(address=self.config.address, **kwargs)
            self._owns_ray = True
        self._actor_cls = ray.remote(max_restarts=0, max_task_retries=0)(EpisodeActor)
        self._spec_json = spec.model_dump_json()
        self._limit_s = spec.run.episode_time_limit_s + spec.run.hard_kill_grace_s
        places = self._placement()
        if not places:
            raise ConfigError("the Ray cluster has no node with room for a worker")
        self._slots = [_Slot(i, node) for i, node in enumerate(places)]
        self._placed = tuple(places)
        log.info("Ray executor: %d workers on %d nodes", len(self._slots), len(set(places)))

    def _node_limits(self) -> dict[str, int]:
        limits: dict[str, int] = {}
        for node in self._ray.nodes():
            if not node.get("Alive") or str(node["NodeID"]) in self._gone:
                continue
            res = node.get("Resources", {})
            if self.config.workers_per_node is not None:
                n = self.config.workers_per_node
            elif RESOURCE in res:
                n = int(res[RESOURCE])
            else:
                n = int(res.get("CPU", 1))
            limits[str(node["NodeID"])] = max(0, n)
        return limits

    def _placement(self) -> list[str]:
        """Node of every slot, round robin over nodes so a cap spreads the slots."""
        limits = self._node_limits()
        order: list[str] = []
        for k in range(max(limits.values(), default=0)):
            order += [node for node, n in sorted(limits.items()) if n > k]
        cap = self.config.max_workers
        return order[:cap] if cap is not None else order

    def _replace(self, slot: _Slot) -> None:
        """Give a dead slot a node: its own if alive, else a live node with room, else retire it.

        The cluster learns of a dead node only after missed heartbeats (seconds); until then
        it still lists the node as alive. So a slot that stays on its node gets its fresh
        actor now, and the node counts as gone unless that actor answers.
        """
        slot.actor, slot.fresh = None, True
        if slot.node_id in self._node_limits() and not self._answers(slot):
            log.warning("Ray executor: node %s does not start workers; leaving it", slot.node_id)
            self._gone.add(slot.node_id)
        limits = self._node_limits()
        used: dict[str, int] = {}
        for s in self._slots:
            if s is not slot and not s.retired:
                used[s.node_id] = used.get(s.node_id, 0) + 1
        if slot.node_id not in limits:
            room = [n for n, cap in sorted(limits.items()) if used.get(n, 0) < cap]
            if not room:
                slot.retired = True
                log.warning("Ray executor: worker %d lost its node; no node has room", slot.index)
                return
            slot.node_id = room[0]

    def _answers(self, slot: _Slot) -> bool:
        """Start the slot's actor and wait until it has imported everything."""
        ray = self._ray
        actor = self._actor(slot)
        try:
            ray.get(actor.ready.remote(), timeout=STARTUP_S)
        except ray.exceptions.RayError:  # its node is gone, or it hangs (GetTimeoutError)
            ray.kill(actor, no_restart=True)
            slot.actor, slot.fresh = None, True
            return False
        slot.fresh = False  # started: its attempts need no start-up allowance
        return True

    def _actor(self, slot: _Slot) -> Any:
        if slot.actor is None:
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            options: dict[str, Any] = {
                "num_cpus": self.config.cpus_per_worker,
                "scheduling_strategy": NodeAffinitySchedulingStrategy(slot.node_id, soft=False),
            }
            slot.actor = self._actor_cls.options(**options).remote(self._spec_json, slot.index)
            slot.fresh = True
        return slot.actor

    # -- the executor protocol ----------------------------------------------------------------

    def submit(self, job: EpisodeJob) -> None:
        slot = next((s for s in self._slots if s.job is None and not s.retired), None)
        if slot is None:
            raise ScreenpilotError("submit() with every worker busy")
        actor = self._actor(slot)
        slot.job, slot.started = job, time.monotonic()
        # A fresh actor first starts a process and imports: its clock gets the start-up time too.
        slot.deadline = slot.started + self._limit_s + (STARTUP_S if slot.fresh else 0.0)
        slot.fresh = False
        slot.ref = actor.run.remote(job.model_dump_json())

    def next_result(self) -> JobResult:
        ray = self._ray
        while True:
            busy = [s for s in self._slots if s.job is not None]
            if not busy and self.capacity == 0:
                raise EnvCrashed(
                    "every Ray node that held workers is gone; resume the run when nodes are back"
                )
            if not busy:
                raise ScreenpilotError("next_result() with nothing in flight")
            now = time.monotonic()
            overdue = next((s for s in busy if s.deadline <= now), None)
            if overdue is not None:
                error = EnvTimeout(f"episode overran the hard limit of {self._limit_s:g}s")
                return self._lose(overdue, error, kill=True)
            timeout = max(0.0, min(s.deadline for s in busy) - now)
            ready, _ = ray.wait([s.ref for s in busy], num_returns=1, timeout=timeout)
            if ready:
                slot = next(s for s in busy if s.ref == ready[0])
                return self._receive(slot)

    def _receive(self, slot: _Slot) -> JobResult:
        ray = self._ray
        try:
            kind, payload = ray.get(slot.ref)
        except ray.exceptions.RayTaskError as e:
            # The actor method itself raised (it catches everything, so this is a bug).
            slot.job = None
            raise ScreenpilotError(f"Ray worker {slot.index} failed:\n{e}") from e
        except ray.exceptions.RayError as e:
            # The actor, its process or its node died.
            return self._lose(slot, EnvCrashed(f"Ray worker {slot.index} died ({type(e).__name__})"))
        job, slot.job, slot.ref = slot.job, None, None
        assert job is not None
        if kind == "config":
            raise ConfigError(payload)
        if kind == "aborted":
            raise Aborted(payload)
        if kind == "bug":
            raise ScreenpilotError(f"Ray worker {slot.index} failed on {job.episode.key}:\n{payload}")
        return JobResult(job=job, outcome=EpisodeOutcome.model_validate_json(payload))

    def _lose(self, slot: _Slot, error: Exception, *, kill: bool = False) -> JobResult:
        assert slot.job is not None
        job, slot.job, slot.ref = slot.job, None, None
        if kill and slot.actor is not None:
            self._ray.kill(slot.actor, no_restart=True)
        log.warning("Ray executor: %s lost %s: %s", f"worker {slot.index}", job.episode.key, error)
        self._replace(slot)
        # Idle slots on a node that died are re-placed now, so they do not each lose an attempt.
        alive = self._node_limits()
        for other in self._slots:
            if other.job is None and not other.retired and other.node_id not in alive:
                self._replace(other)
        elapsed = time.monotonic() - slot.started
        return JobResult(job=job, outcome=infra_outcome(job, error, elapsed_s=elapsed, worker=slot.index))

    def close(self) -> None:
        ray = self._ray
        if ray is None:
            return
        closing = [s.actor.close.remote() for s in self._slots if s.actor is not None and s.job is None]
        if closing:
            ray.wait(closing, num_returns=len(closing), timeout=10.0)
        for slot in self._slots:
            if slot.actor is not None:
                ray.kill(slot.actor, no_restart=True)
            slot.actor, slot.job, slot.ref = None, None, None
        if self._owns_ray:
            ray.shutdown()
            self._owns_ray = False
        self._ray = None
