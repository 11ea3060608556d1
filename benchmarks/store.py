"""``results.jsonl``: the append-only record of a run, and what resuming reads from it.

Each line is one record:

* ``{"type": "started", key, config_hash, attempt, run_dir}`` when an attempt is handed
  to a worker;
* ``{"type": "attempt", final, ...EpisodeOutcome}`` when it ended; ``final`` is true when
  it is the episode's last word (a task verdict, or an infrastructure failure out of
  retries);
* ``{"type": "partial", key, config_hash, attempt, moved_to}`` when a resumed run found an
  attempt that started but never ended (the process was killed) and moved its trajectory
  aside as evidence;
* ``{"type": "invocation"}`` when a run (or a resumed one) starts and
  ``{"type": "invocation_end"}`` when it ends: the wall time of every invocation, a killed
  one counted up to its last record, gives the throughput over the whole run.

Only the runner's process writes; every line is flushed and fsynced before the next one.
A torn last line (the writer was killed mid-write) is skipped by the reader and fenced
off by the next writer, so it can never merge with a new record.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from screenpilot.benchmarks.outcome import EpisodeOutcome


@dataclass
class StoreState:
    """What the log says, keyed by episode.

    Attributes:
        finals: The final outcome of each episode, by key, for each config hash.
        started: Attempts that started, as ``(key, hash, attempt) -> run_dir``.
        ended: Attempts that ended or were already declared partial.
        max_attempt: Highest attempt number seen per key (new attempts count on).
        skipped_lines: Lines that could not be read (a torn final line).
    """

    finals: dict[tuple[str, str], EpisodeOutcome] = field(default_factory=dict)
    started: dict[tuple[str, str, int], str | None] = field(default_factory=dict)
    ended: set[tuple[str, str, int]] = field(default_factory=set)
    max_attempt: dict[str, int] = field(default_factory=dict)
    skipped_lines: int = 0
    invocations: list[list[float]] = field(default_factory=list)
    """``[start, last record]`` wall-clock times of each invocation that wrote to the log."""

    @property
    def wall_s(self) -> float:
        """Seconds spent running, summed over every invocation."""
        return sum(max(0.0, last - start) for start, last in self.invocations)

    def final(self, key: str, config_hash: str) -> EpisodeOutcome | None:
        return self.finals.get((key, config_hash))

    def partial_attempts(self) -> list[tuple[str, str, int, str | None]]:
        """Attempts that started but never ended: evidence of an interrupted run."""
        return [(k, h, a, d) for (k, h, a), d in self.started.items() if (k, h, a) not in self.ended]

    def apply(self, record: dict[str, Any]) -> None:
        record_type = record.get("type")
        t = record.get("t")
        if isinstance(t, int | float) and not isinstance(t, bool):
            if record_type == "invocation":
                self.invocations.append([float(t), float(t)])
                return
            if self.invocations:
                self.invocations[-1][1] = max(self.invocations[-1][1], float(t))
        if record_type == "invocation_end":
            return
        key, chash, attempt = record.get("key"), record.get("config_hash"), record.get("attempt")
        if not isinstance(key, str) or not isinstance(chash, str) or not isinstance(attempt, int):
            self.skipped_lines += 1
            return
        self.max_attempt[key] = max(self.max_attempt.get(key, -1), attempt)
        if record_type == "started":
            self.started[(key, chash, attempt)] = record.get("run_dir")
        elif record_type == "partial":
            self.ended.add((key, chash, attempt))
        elif record_type == "attempt":
            self.ended.add((key, chash, attempt))
            if record.get("final"):
                outcome = EpisodeOutcome.model_validate(
                    {k: v for k, v in record.items() if k not in ("type", "final", "t")}
                )
                self.finals[(key, chash)] = outcome
        else:
            self.skipped_lines += 1


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Every readable record of ``path`` and the number of unreadable lines."""
    if not path.exists():
        return [], 0
    records: list[dict[str, Any]] = []
    bad = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            bad += 1  # a torn line from a killed writer
            continue
        if isinstance(value, dict):
            records.append(value)
        else:
            bad += 1
    return records, bad


def load_state(path: Path) -> StoreState:
    """Replay ``path`` into a :class:`StoreState`."""
    records, bad = read_records(path)
    state = StoreState(skipped_lines=bad)
    for record in records:
        try:
            state.apply(record)
        except ValidationError:
            state.skipped_lines += 1
    return state


class ResultsStore:
    """Appends records to ``results.jsonl``, durably, one line at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fence_torn_line()
        self._file = path.open("a", encoding="utf-8")

    def _fence_torn_line(self) -> None:
        # A killed writer can leave a last line without its newline; appending straight
        # after it would glue the next record onto the torn one and lose both.
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb+") as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                f.write(b"\n")

    def append(self, record_type: str, /, **data: Any) -> None:
        record = {"type": record_type, "t": time.time(), **data}
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def started(self, key: str, config_hash: str, attempt: int, run_dir: str) -> None:
        self.append("started", key=key, config_hash=config_hash, attempt=attempt, run_dir=run_dir)

    def attempt(self, outcome: EpisodeOutcome, *, final: bool) -> None:
        self.append("attempt", final=final, **outcome.model_dump(mode="json"))

    def partial(self, key: str, config_hash: str, attempt: int, moved_to: str | None) -> None:
        self.append("partial", key=key, config_hash=config_hash, attempt=attempt, moved_to=moved_to)

    def invocation(self) -> None:
        self.append("invocation", pid=os.getpid())

    def invocation_end(self) -> None:
        self.append("invocation_end")

    def close(self) -> None:
        self._file.close()
