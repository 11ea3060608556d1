"""Which runs an export reads, whether each succeeded, and which task each belongs to.

Arguments name run directories (``manifest.json`` / ``events.jsonl``), benchmark
directories (``results.jsonl``: each episode's final attempt names its run directory and
holds the benchmark's reward), or folders holding either a few levels down (``runs/``).
A benchmark's verdict decides an episode's success; a plain run's own ``result.json``
status decides otherwise. The task key groups runs for the per-task cap and the
train/validation split: ``benchmark/task_id`` for benchmark episodes, ``workflow/NAME`` for
workflows, the task text for other runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.benchmarks.store import load_state
from screenpilot.tools.errors import ConfigError

RESULTS = "results.jsonl"
_MAX_DEPTH = 3


class SourceRun(BaseModel):
    """One run to export.

    Attributes:
        run_dir: The run directory.
        task_key: Groups runs of one task (cap and split).
        success: Whether the run did its task (the benchmark's verdict where there is one).
        reward: The benchmark's reward, when a results file holds one.
    """

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    task_key: str
    success: bool
    reward: float | None = None


def is_run_dir(path: Path) -> bool:
    """Whether ``path`` is a run directory."""
    return (path / "manifest.json").is_file() or (path / "events.jsonl").is_file()


def find_runs(paths: Sequence[Path]) -> list[SourceRun]:
    """Every run under ``paths``, each once, in a stable order.

    Raises:
        ConfigError: For a path that does not exist or holds no run.
    """
    found: dict[Path, SourceRun] = {}
    for path in paths:
        if not path.is_dir():
            raise ConfigError(f"{path} is not a directory (give run or benchmark directories)")
        runs = list(_runs_under(path, _MAX_DEPTH))
        if not runs:
            raise ConfigError(f"{path} holds no run (no manifest.json, events.jsonl or {RESULTS})")
        for run in runs:
            found.setdefault(run.run_dir.resolve(), run)
    return [found[k] for k in sorted(found)]


def _runs_under(path: Path, depth: int) -> Iterable[SourceRun]:
    if is_run_dir(path):
        yield _plain_run(path)
    elif (path / RESULTS).is_file():
        yield from _benchmark_runs(path)
    elif depth > 0:
        for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
            yield from _runs_under(child, depth - 1)


def _benchmark_runs(root: Path) -> Iterable[SourceRun]:
    state = load_state(root / RESULTS)
    for (_, _), outcome in sorted(state.finals.items()):
        if outcome.run_dir is None or not (root / outcome.run_dir).is_dir():
            continue
        run_dir = root / outcome.run_dir
        benchmark = str(_manifest(run_dir).get("benchmark", {}).get("name", root.name))
        yield SourceRun(
            run_dir=run_dir,
            task_key=f"{benchmark}/{outcome.task_id}",
            success=outcome.kind == "success",
            reward=outcome.reward,
        )


def _plain_run(run_dir: Path) -> SourceRun:
    """A run given on its own; a benchmark episode still takes its benchmark's verdict."""
    manifest = _manifest(run_dir)
    if "benchmark" in manifest:
        for root in (run_dir.parent.parent, run_dir.parent):
            if (root / RESULTS).is_file():
                for run in _benchmark_runs(root):
                    if run.run_dir.resolve() == run_dir.resolve():
                        return run
    result = _json(run_dir / "result.json") or {}
    return SourceRun(run_dir=run_dir, task_key=task_key(manifest), success=result.get("status") == "success")


def task_key(manifest: dict[str, Any]) -> str:
    """The task a run belongs to, from its manifest."""
    episode = manifest.get("episode")
    if isinstance(episode, dict) and isinstance(episode.get("task"), dict):
        benchmark = manifest.get("benchmark", {}).get("name", "benchmark")
        return f"{benchmark}/{episode['task'].get('task_id', '')}"
    if manifest.get("workflow"):
        return f"workflow/{manifest['workflow']}"
    return str(manifest.get("task_name") or manifest.get("task") or "")


def _manifest(run_dir: Path) -> dict[str, Any]:
    return _json(run_dir / "manifest.json") or {}


def _json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
