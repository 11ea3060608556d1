"""Finding the episodes of a benchmark directory.

The benchmark runner's layout is not fixed here: a directory counts as a run when it holds
``manifest.json`` or ``events.jsonl``; ``results.jsonl`` rows (one per episode) may point at
run directories with ``run_dir`` or ``run_id`` and may carry the evaluator's verdict
(``kind`` and ``reward`` from the benchmark runner, or ``success``) and the task's name
(``task_name``); ``summary.json`` is shown as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.trajectory.reader import read_events

_MAX_DEPTH = 3


class Episode(BaseModel):
    """One run directory and what a results file said about it."""

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    result_row: dict[str, Any] = Field(default_factory=dict)


def is_run_dir(path: Path) -> bool:
    """Whether ``path`` looks like a run directory."""
    return (path / "manifest.json").is_file() or (path / "events.jsonl").is_file()


def _scan(root: Path, depth: int) -> list[Path]:
    if is_run_dir(root):
        return [root]
    if depth == 0:
        return []
    found: list[Path] = []
    for child in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found.extend(_scan(child, depth - 1))
    return found


def _row_dir(root: Path, row: dict[str, Any]) -> Path | None:
    if isinstance(row.get("run_dir"), str):
        p = Path(row["run_dir"])
        return p if p.is_absolute() else root / p
    if isinstance(row.get("run_id"), str):
        for candidate in (root / row["run_id"], root / "runs" / row["run_id"]):
            if candidate.is_dir():
                return candidate
    return None


def find_episodes(root: Path) -> list[Episode]:
    """Every run under ``root`` (up to three levels deep), with its ``results.jsonl`` row."""
    rows: dict[Path, dict[str, Any]] = {}
    results, _ = read_events(root / "results.jsonl")
    for row in results:
        where = _row_dir(root, row)
        if where is not None:
            rows[where.resolve()] = row
    dirs = {p.resolve(): p for p in _scan(root, _MAX_DEPTH)}
    for resolved in rows:
        if resolved not in dirs and resolved.is_dir():
            dirs[resolved] = resolved
    return [Episode(run_dir=p, result_row=rows.get(r, {})) for r, p in sorted(dirs.items())]


def read_summary(root: Path) -> dict[str, Any]:
    """``summary.json`` of a benchmark directory, or ``{}``."""
    try:
        data = json.loads((root / "summary.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
