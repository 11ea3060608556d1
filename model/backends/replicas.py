"""Several replicas of one model behind one backend: least outstanding requests, failover.

A Qwen3-VL 32B or 235B model is usually served as several vLLM / SGLang replicas. The pool
sends each request to the healthy replica with the fewest requests in flight; among those,
replicas about as fast as the fastest (moving average of answer times) take turns, so a
slow replica is chosen only when the others have a queue, and a new replica is tried at
once. A replica whose transport fails
(unreachable, timed out, 429/5xx) is taken out for a back-off period that doubles with
each consecutive failure, and the request is retried on another replica at once; after
the back-off the replica gets one request again and rejoins when it answers. Only when
every replica has failed the same request does the caller see the
:class:`~tools.errors.ModelTransportError` (the agent's own retry policy takes over).

Health changes are logged (``WARNING`` when a replica is taken out, ``INFO`` when it is
back), and every completion's :class:`~model.types.Usage` says which endpoint answered
and how many replicas failed before it (``endpoints``, ``failovers``), so a run's usage
stats show how the load was spread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.model.backends.base import ChatBackend, ChatRequest, Completion
from screenpilot.tools.errors import ConfigError, ModelTransportError

log = logging.getLogger(__name__)

_COMPARABLE = 2.0
_SLACK_S = 0.05
"""Replicas answering within ``2 x fastest + 50 ms`` count as equally fast."""


class ReplicaPoolConfig(BaseModel):
    """How the pool treats failing and slow replicas.

    Attributes:
        backoff_s: How long a replica stays out after a transport failure.
        max_backoff_s: Cap on the back-off, which doubles with each consecutive failure.
        latency_weight: Weight of the newest latency in each replica's moving average.
        max_wait_s: When every replica is out, how long a request may wait for the first
            to come back before it fails.
    """

    model_config = ConfigDict(frozen=True)

    backoff_s: float = Field(default=5.0, ge=0.0)
    max_backoff_s: float = Field(default=60.0, ge=0.0)
    latency_weight: float = Field(default=0.3, gt=0.0, le=1.0)
    max_wait_s: float = Field(default=10.0, ge=0.0)


class ReplicaHealth(BaseModel):
    """One replica as the pool sees it now.

    Attributes:
        endpoint: The replica's base URL.
        healthy: Whether it takes requests now.
        outstanding: Requests in flight.
        calls: Requests it answered.
        failures: Transport failures in all.
        consecutive_failures: Failures since its last answer.
        down_for_s: Seconds of back-off left (0 when healthy).
        latency_s: Moving average of its answer times (0 before the first).
    """

    model_config = ConfigDict(frozen=True)

    endpoint: str
    healthy: bool
    outstanding: int
    calls: int
    failures: int
    consecutive_failures: int
    down_for_s: float
    latency_s: float


@dataclass
class _Replica:
    endpoint: str
    backend: ChatBackend
    outstanding: int = 0
    calls: int = 0
    failures: int = 0
    streak: int = 0
    down_until: float = 0.0
    latency_s: float = 0.0
    last_used: float = 0.0


class ReplicaPool:
    """A :class:`~model.backends.base.ChatBackend` over several replicas of one model.

    Args:
        replicas: ``(endpoint, backend)`` pairs; backends should not retry themselves, so
            that a dead replica costs one failed attempt, not several.
        config: Back-off and latency settings.
        clock: Monotonic clock (injectable for tests).
        sleep: How to wait when every replica is out.

    Thread-safe: one pool may serve many threads, which is when least-outstanding matters.
    """

    def __init__(
        self,
        replicas: Sequence[tuple[str, ChatBackend]],
        config: ReplicaPoolConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not replicas:
            raise ConfigError("a replica pool needs at least one endpoint")
        endpoints = [e for e, _ in replicas]
        if len(set(endpoints)) != len(endpoints):
            raise ConfigError(f"an endpoint is listed twice: {', '.join(endpoints)}")
        self.config = config or ReplicaPoolConfig()
        self._replicas = [_Replica(e, b) for e, b in replicas]
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._replicas[0].backend.model_id

    def health(self) -> list[ReplicaHealth]:
        """Every replica's state now."""
        now = self._clock()
        with self._lock:
            return [
                ReplicaHealth(
                    endpoint=r.endpoint,
                    healthy=r.down_until <= now,
                    outstanding=r.outstanding,
                    calls=r.calls,
                    failures=r.failures,
                    consecutive_failures=r.streak,
                    down_for_s=max(0.0, r.down_until - now),
                    latency_s=r.latency_s,
                )
                for r in self._replicas
            ]

    def complete(self, request: ChatRequest) -> Completion:
        """Send ``request`` to the best replica, failing over to the others.

        Raises:
            ModelTransportError: When every replica failed this request, or all stayed
                out longer than ``max_wait_s``.
            ConfigError / ModelError: As the answering replica raised them (not failed over:
                a wrong model name or a refused request is the same on every replica).
        """
        tried: set[int] = set()
        last: ModelTransportError | None = None
        while True:
            replica = self._acquire(tried)
            if replica is None:
                if last is not None and len(tried) == len(self._replicas):
                    raise last
                self._wait_for_one(tried, last)
                continue
            t0 = self._clock()
            try:
                completion = replica.backend.complete(request)
            except ModelTransportError as e:
                self._failed(replica, e)
                tried.add(self._replicas.index(replica))
                last = e
                continue
            except BaseException:
                self._release(replica)
                raise
            self._answered(replica, self._clock() - t0)
            usage = completion.usage.model_copy(
                update={"endpoints": {replica.endpoint: 1}, "failovers": len(tried)}
            )
            return completion.model_copy(update={"usage": usage})

    # -- internals ------------------------------------------------------------------------

    def _acquire(self, tried: set[int]) -> _Replica | None:
        now = self._clock()
        with self._lock:
            ready = [r for i, r in enumerate(self._replicas) if i not in tried and r.down_until <= now]
            if not ready:
                return None
            least = min(r.outstanding for r in ready)
            idle = [r for r in ready if r.outstanding == least]
            # Replicas about as fast as the fastest take turns (each has its own batch and
            # cache); a clearly slower one waits until the others have a queue.
            fastest = min(r.latency_s for r in idle)
            fair = [r for r in idle if r.latency_s <= _COMPARABLE * fastest + _SLACK_S]
            best = min(fair, key=lambda r: r.last_used)
            best.outstanding += 1
            best.last_used = now
            return best

    def _release(self, replica: _Replica) -> None:
        with self._lock:
            replica.outstanding -= 1

    def _answered(self, replica: _Replica, latency: float) -> None:
        with self._lock:
            replica.outstanding -= 1
            replica.calls += 1
            w = self.config.latency_weight
            replica.latency_s = latency if replica.calls == 1 else (1 - w) * replica.latency_s + w * latency
            back = replica.streak > 0
            replica.streak = 0
            replica.down_until = 0.0
        if back:
            log.info("model replica %s is back (answered in %.2fs)", replica.endpoint, latency)

    def _failed(self, replica: _Replica, error: ModelTransportError) -> None:
        with self._lock:
            replica.outstanding -= 1
            replica.failures += 1
            replica.streak += 1
            backoff = min(self.config.max_backoff_s, self.config.backoff_s * 2 ** (replica.streak - 1))
            if error.retry_after is not None:
                backoff = max(backoff, min(error.retry_after, self.config.max_backoff_s))
            replica.down_until = self._clock() + backoff
            healthy = sum(1 for r in self._replicas if r.down_until <= self._clock())
        log.warning(
            "model replica %s is out for %.1fs (%s: %s); %d of %d replicas healthy",
            replica.endpoint,
            backoff,
            type(error).__name__,
            error,
            healthy,
            len(self._replicas),
        )

    def _wait_for_one(self, tried: set[int], last: ModelTransportError | None) -> None:
        now = self._clock()
        with self._lock:
            soonest = min(r.down_until for i, r in enumerate(self._replicas) if i not in tried)
        wait = max(0.0, soonest - now)
        if wait > self.config.max_wait_s:
            endpoints = ", ".join(r.endpoint for r in self._replicas)
            raise ModelTransportError(
                f"every model replica is out for at least {wait:.0f}s ({endpoints})"
                + (f"; last error: {last}" if last else ""),
                retry_after=wait,
            )
        self._sleep(wait)
