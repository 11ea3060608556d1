"""What a workflow adds to a recorded step: which step it was, and where its time went.

Steps are written by :class:`screenpilot.agent.run_recorder.RunRecorder`, like agent steps;
:class:`StepInfo` becomes the event's ``workflow`` key. :class:`StageClock` assigns a
step's seconds to stages (``locate_s``, ``act_s``, ``settle_s``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from screenpilot.agent.result import StageTimes


@dataclass
class StepInfo:
    """The workflow side of one recorded step."""

    path: str
    kind: str
    name: str | None = None
    target: str | None = None
    found_by: str | None = None
    healed: bool = False
    skipped: bool = False
    attempt: int = 1
    observer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "extra" and v not in (None, False)}
        return data | self.extra


@dataclass
class _Attempt:
    times: dict[str, float] = field(default_factory=dict)
    nested_s: float = 0.0
    running: set[str] = field(default_factory=set)


class StageClock:
    """Stage times of the step attempts in progress.

    Attempts nest: an observer's steps run while an outer step is still locating its
    target. The nested steps record their own seconds, so the time they took is taken off
    the outer stage that was running, and every second is counted once. Outside any
    attempt (the condition of an ``if``) nothing is counted.
    """

    def __init__(self) -> None:
        self._attempts: list[_Attempt] = []

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Time one attempt of one step."""
        self._attempts.append(_Attempt())
        t0 = time.monotonic()
        try:
            yield
        finally:
            self._attempts.pop()
            if self._attempts:
                self._attempts[-1].nested_s += time.monotonic() - t0

    @contextmanager
    def stage(self, key: str) -> Iterator[None]:
        """Count the time inside the block to stage ``key`` of the current attempt."""
        current = self._attempts[-1] if self._attempts else None
        if current is None or key in current.running:  # already counted by an outer block
            yield
            return
        current.running.add(key)
        t0, nested0 = time.monotonic(), current.nested_s
        try:
            yield
        finally:
            current.running.discard(key)
            spent = time.monotonic() - t0 - (current.nested_s - nested0)
            current.times[key] = current.times.get(key, 0.0) + spent

    def add(self, times: StageTimes) -> None:
        """Add times measured elsewhere (the act pipeline's) to the current attempt."""
        if self._attempts:
            current = self._attempts[-1].times
            for key, value in times.model_dump().items():
                if value:
                    current[key] = current.get(key, 0.0) + value

    def take(self) -> StageTimes:
        """The current attempt's times so far; counting starts again from zero.

        Each recorded step takes its own seconds, so a step recorded twice (interrupted by
        an observer, then run again) never counts the same second twice.
        """
        if not self._attempts:
            return StageTimes()
        current = self._attempts[-1]
        times, current.times = current.times, {}
        return StageTimes(**times)
