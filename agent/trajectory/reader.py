"""Reads runs back, tolerating a run that was killed mid-write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.trajectory.recorder import remove_stale_temporaries


class Trajectory(BaseModel):
    """A run as read from disk.

    Attributes:
        run_dir: Where it lives.
        manifest: The manifest, or ``{}`` if the run died before writing it.
        events: Every complete event line, in order.
        result: ``result.json``, or ``None`` when the run did not finish.
        truncated_tail: Whether the last line was cut off (the run was killed mid-write).
        problems: What could not be read and was skipped, one sentence each (a corrupt
            event line, a manifest cut short); readers show these and carry on.
    """

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list)
    result: dict[str, Any] | None = None
    truncated_tail: bool = False
    problems: tuple[str, ...] = ()

    @property
    def steps(self) -> list[dict[str, Any]]:
        """The completed steps, in order."""
        return [e for e in self.events if e.get("type") == "step"]

    @property
    def finished(self) -> bool:
        return self.result is not None

    def screenshot_path(self, digest: str) -> Path:
        return self.run_dir / "shots" / f"{digest}.png"

    def screenshot(self, digest: str) -> Image.Image:
        return Image.open(self.screenshot_path(digest))


def read_events(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """Parse a JSONL file; a final line that does not parse is dropped and reported, and
    so is any other line that is not a JSON object (see :func:`read_event_lines`)."""
    events, truncated, _ = read_event_lines(path)
    return events, truncated


def read_event_lines(path: Path) -> tuple[list[dict[str, Any]], bool, list[int]]:
    """``(events, truncated_tail, bad_lines)``: every line that is a JSON object, whether
    the last line was cut short, and the 1-based numbers of other unreadable lines."""
    events: list[dict[str, Any]] = []
    truncated = False
    bad: list[int] = []
    try:
        lines = path.read_bytes().split(b"\n")
    except FileNotFoundError:
        return events, truncated, bad
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            value = None
        if isinstance(value, dict):
            events.append(value)
        elif i == last:  # the last line: a write cut short
            truncated = True
        else:
            bad.append(i + 1)
    return events, truncated, bad


def _read_json(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        problems.append(f"{path.name} is not readable JSON (cut short?); ignored")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name} does not hold a JSON object; ignored")
        return None
    return data


def load_run(run_dir: str | Path) -> Trajectory:
    """Load a run directory, complete or not: unreadable parts are skipped and named in
    :attr:`Trajectory.problems`, never raised; temporary files of a writer that was
    killed are removed.

    Raises:
        FileNotFoundError: When ``run_dir`` is not a directory.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"no run directory at {run_dir}")
    events, truncated, bad = read_event_lines(run_dir / "events.jsonl")
    problems = [f"events.jsonl line {n} is not a JSON object; skipped" for n in bad]
    problems += [f"{name} was left by a killed writer; removed" for name in remove_stale_temporaries(run_dir)]
    manifest = _read_json(run_dir / "manifest.json", problems) or {}
    result = _read_json(run_dir / "result.json", problems)
    return Trajectory(
        run_dir=run_dir,
        manifest=manifest,
        events=events,
        result=result,
        truncated_tail=truncated,
        problems=tuple(problems),
    )
