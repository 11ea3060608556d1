"""Past runs under the runs directory: listing, safe paths, reports."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
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


STALE_S = 600.0
"""A run with no recorded process and no event for this long is taken as dead."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def writer_alive(run_dir: Path) -> bool:
    """Whether the process recording ``run_dir`` still runs: by the pid its manifest names
    (on this host), else by whether its events are recent."""
    manifest = _read(run_dir / "manifest.json")
    pid, host = manifest.get("pid"), manifest.get("host")
    if isinstance(pid, int) and host == socket.gethostname():
        return _pid_alive(pid)
    events = run_dir / "events.jsonl"
    return events.exists() and time.time() - events.stat().st_mtime < STALE_S


def with_ui_link(html: str) -> str:
    """A report page as the UI serves it: with a link back to the UI's run list."""
    link = (
        '<a href="/#runs" id="ui-link" style="position:fixed;top:8px;right:12px;z-index:99;'
        'font:14px sans-serif">◀ screenpilot UI</a>'
    )
    head, sep, tail = html.partition("<body>")
    return f"{head}{sep}{link}{tail}" if sep else link + html


def list_runs(root: Path, alive: Callable[[str], bool] | None = None) -> list[RunEntry]:
    """Runs and benchmark directories directly under ``root``, newest first.

    A run without a result is ``running`` while ``alive(name)`` says something still
    writes it (by default: :func:`writer_alive`) and ``unfinished`` otherwise.
    """
    is_alive = alive or (lambda name: writer_alive(root / name))
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
                    status=str(result.get("status", "") if result else _pending(is_alive(d.name))),
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


def _pending(alive: bool) -> str:
    return "running" if alive else "unfinished"


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
