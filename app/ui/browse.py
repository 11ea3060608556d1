"""Past runs under the runs directory: listing, safe paths, reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.app.report.discover import find_episodes, is_run_dir, read_summary
from screenpilot.app.report.episode import render_episode
from screenpilot.app.report.summary import episode_stats, render_summary
from screenpilot.tools.errors import ConfigError


class RunEntry(BaseModel):
    """One row of the run list."""

    model_config = ConfigDict(frozen=True)

    path: str
    kind: str
    task: str = ""
    status: str = ""
    steps: int | None = None
    created: float | None = None
    episodes: int | None = None
    video: str | None = None


def resolve_inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that leaves ``root``.

    Raises:
        ConfigError: For paths outside ``root`` or that do not exist.
    """
    base = root.resolve()
    path = (base / relative).resolve()
    if path != base and base not in path.parents:
        raise ConfigError(f"{relative!r} is outside the runs directory")
    if not path.exists():
        raise ConfigError(f"{relative!r} does not exist")
    return path


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def list_runs(root: Path) -> list[RunEntry]:
    """Runs and benchmark directories directly under ``root``, newest first."""
    if not root.is_dir():
        return []
    entries = []
    dirs = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for d in dirs:
        if is_run_dir(d):
            manifest, result = _read(d / "manifest.json"), _read(d / "result.json")
            entries.append(
                RunEntry(
                    path=d.name,
                    kind="run",
                    task=str(manifest.get("task", "")),
                    status=str(result.get("status", "running" if not result else "")),
                    steps=result.get("steps"),
                    created=manifest.get("created"),
                    video=f"/media/{d.name}/video.mp4" if (d / "video.mp4").is_file() else None,
                )
            )
        else:
            episodes = find_episodes(d)
            if episodes:
                entries.append(RunEntry(path=d.name, kind="benchmark", episodes=len(episodes)))
    return entries


def report_html(root: Path, relative: str) -> str:
    """The report of a run, or the summary of a benchmark directory, for the UI to serve."""
    path = resolve_inside(root, relative)
    if is_run_dir(path):
        # an episode inside a benchmark links back to the benchmark as the run list shows it
        parts = path.relative_to(root.resolve()).parts
        back = "/#runs" if len(parts) == 1 else f"/report/{parts[0]}"
        return render_episode(path, back_link=back, media_base=f"/media/{'/'.join(parts)}/")
    episodes = find_episodes(path)
    if not episodes:
        raise ConfigError(f"{relative!r} holds no runs")
    base = root.resolve()
    return render_summary(
        [episode_stats(e) for e in episodes],
        title=f"Benchmark: {path.name}",
        link=lambda d: "/report/" + d.resolve().relative_to(base).as_posix(),
        extra=read_summary(path),
    )
