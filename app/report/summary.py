"""The summary page of many runs (a benchmark): per-task tables, charts, links to episodes."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.agent.progress import Progress
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report.charts import bar_chart
from screenpilot.app.report.discover import Episode, find_episodes, read_summary
from screenpilot.app.report.episode import write_episode_report
from screenpilot.app.report.html import esc, fmt_int, fmt_s, page, status_badge, table


class EpisodeStats(BaseModel):
    """What the summary needs from one run."""

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    run_id: str
    group: str
    task: str
    status: str
    success: bool
    steps: int
    elapsed_s: float | None
    predict_s_per_step: float | None
    tokens: int
    counted: bool = True
    """Whether the episode counts in the totals: an attempt that was retried after an
    infrastructure failure does not (``summary.json`` counts each episode's final attempt)."""


def _group(manifest: dict[str, Any], row: dict[str, Any]) -> str:
    for source in (row, manifest):
        for key in ("task_name", "task_id"):
            if source.get(key):
                return str(source[key])
    return str(manifest.get("task") or "(unknown)")


def evaluator_success(row: dict[str, Any]) -> bool | None:
    """The benchmark's verdict in a ``results.jsonl`` row, or ``None`` when it has none.

    Rows written by the benchmark runner carry ``kind`` (``success`` when the task's own
    evaluator said so, the figure ``summary.json`` counts) and ``reward``; other layouts may
    carry ``success``.
    """
    if "success" in row:
        return bool(row["success"])
    if "kind" in row:
        return row["kind"] == "success"
    if "reward" in row:
        return float(row["reward"]) > 0
    return None


def _counted(row: dict[str, Any]) -> bool:
    """Rows of the benchmark runner count when they are an episode's final attempt; runs
    without a typed row (plain run directories, other layouts) always count."""
    kind = row.get("type")
    if kind is None:
        return True
    return kind == "attempt" and bool(row.get("final", True))


def episode_stats(episode: Episode) -> EpisodeStats:
    """Read one run; the benchmark's verdict in its results row wins over the agent's status."""
    traj = load_run(episode.run_dir)
    result, row = traj.result or {}, episode.result_row
    status = str(result.get("status") or "unfinished")
    verdict = evaluator_success(row)
    success = verdict if verdict is not None else status == "success"
    steps = traj.steps
    predict = [float((s.get("times") or {}).get("predict_s", 0.0)) for s in steps]
    usage = result.get("usage") or {}
    return EpisodeStats(
        run_dir=episode.run_dir,
        run_id=str(traj.manifest.get("run_id") or episode.run_dir.name),
        group=_group(traj.manifest, row),
        task=str(traj.manifest.get("task") or ""),
        status=status,
        success=success,
        steps=int(result.get("steps", len(steps))),
        elapsed_s=result.get("elapsed_s"),
        predict_s_per_step=statistics.fmean(predict) if predict else None,
        tokens=int(usage.get("input_tokens", 0)) + int(usage.get("output_tokens", 0)),
        counted=_counted(row),
    )


def _median(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def _task_rows(stats: Sequence[EpisodeStats]) -> list[tuple[str, list[EpisodeStats]]]:
    groups: dict[str, list[EpisodeStats]] = {}
    for s in stats:
        if s.counted:
            groups.setdefault(s.group, []).append(s)
    return sorted(groups.items())


def _tasks_section(groups: list[tuple[str, list[EpisodeStats]]]) -> str:
    rows = []
    for name, eps in groups:
        ok = sum(e.success for e in eps)
        rows.append(
            [
                esc(name),
                f'<span class="num">{len(eps)}</span>',
                f"{ok}/{len(eps)} ({ok / len(eps):.0%})",
                f"{statistics.fmean(e.steps for e in eps):.1f}",
                esc(fmt_s(_median([e.elapsed_s for e in eps]))),
                esc(fmt_s(_median([e.predict_s_per_step for e in eps]))),
            ]
        )
    headers = ["task", "episodes", "success", "mean steps", "median time", "median predict/step"]
    charts = "".join(
        [
            bar_chart(
                [(n, sum(e.success for e in eps) / len(eps) * 100) for n, eps in groups],
                title="Success rate per task",
                max_value=100,
                unit="%",
                color="#15803d",
                fmt="{:.0f}",
            ),
            bar_chart(
                [(n, statistics.fmean(e.steps for e in eps)) for n, eps in groups],
                title="Mean steps per task",
                fmt="{:.1f}",
            ),
            bar_chart(
                [(n, _median([e.elapsed_s for e in eps]) or 0.0) for n, eps in groups],
                title="Median episode time per task",
                unit=" s",
                color="#b45309",
            ),
        ]
    )
    tasks = table(headers, rows, cls="tasks")
    return f'<section><h2>Per task</h2>{tasks}<div class="charts">{charts}</div></section>'


def _episodes_section(stats: Sequence[EpisodeStats], link: Callable[[Path], str]) -> str:
    rows = [
        [
            f'<a href="{esc(link(s.run_dir))}">{esc(s.run_id)}</a>',
            esc(s.group),
            status_badge(s.status),
            ("✓" if s.success else "✗") if s.counted else "retried",
            str(s.steps),
            esc(fmt_s(s.elapsed_s)),
            fmt_int(s.tokens),
        ]
        for s in stats
    ]
    headers = ["episode", "task", "status", "success", "steps", "time", "tokens"]
    return f"<section><h2>Episodes</h2>{table(headers, rows, cls='episodes')}</section>"


def render_summary(
    stats: Sequence[EpisodeStats],
    *,
    title: str,
    link: Callable[[Path], str],
    extra: dict[str, Any] | None = None,
) -> str:
    """The summary page of ``stats``; ``link`` gives each episode's report URL."""
    counted = [s for s in stats if s.counted]
    n = len(counted)
    ok = sum(s.success for s in counted)
    cards = [
        ("Episodes", fmt_int(n)),
        ("Success", f"{ok}/{n}" + (f" <small>{ok / n:.0%}</small>" if n else "")),
        ("Median steps", esc(f"{statistics.median(s.steps for s in counted):g}" if n else "-")),
        ("Median time", esc(fmt_s(_median([s.elapsed_s for s in counted])))),
        ("Tokens", fmt_int(sum(s.tokens for s in stats))),
    ]
    card_html = "".join(f'<div class="card"><h3>{k}</h3><div class="value">{v}</div></div>' for k, v in cards)
    scalars = [
        [f"<b>{esc(k)}</b>", esc(v)] for k, v in (extra or {}).items() if not isinstance(v, dict | list)
    ]
    meta = table(["", ""], scalars, cls="meta") if scalars else ""
    body = (
        f'<header><h1>{esc(title)}</h1><div class="cards">{card_html}</div>{meta}</header>'
        f"<main>{_tasks_section(_task_rows(stats)) if stats else ''}{_episodes_section(stats, link)}</main>"
    )
    return page("page.html", title=esc(f"screenpilot · {title}"), body=body)


def write_benchmark_report(
    root: Path, out: Path | None = None, *, progress: Progress | None = None, **episode_kwargs: Any
) -> Path:
    """Write every episode's ``report.html`` and the summary page (default ``root/report.html``)."""
    out = out or root / "report.html"
    episodes = find_episodes(root)
    if progress is not None:
        progress.reset(total=len(episodes))
    stats = []
    for ep in episodes:
        back = os.path.relpath(out.resolve(), ep.run_dir.resolve())
        write_episode_report(ep.run_dir, back_link=back, **episode_kwargs)
        stats.append(episode_stats(ep))
        if progress is not None:
            progress.update(1, note=ep.run_dir.name)
    base = out.resolve().parent
    html = render_summary(
        stats,
        title=f"Benchmark: {root.resolve().name}",
        link=lambda d: os.path.relpath((d / "report.html").resolve(), base),
        extra=read_summary(root),
    )
    out.write_text(html, encoding="utf-8", errors="replace")
    return out
