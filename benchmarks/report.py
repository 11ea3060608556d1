"""Render a :class:`~benchmarks.summary.Summary` as a terminal table, Markdown and JSON."""

from __future__ import annotations

from pathlib import Path

from screenpilot.agent.trajectory.recorder import atomic_write_json
from screenpilot.benchmarks.summary import Summary, TaskSummary

_HEAD = ("task", "n", "success", "95% CI", "steps", "infra", "tokens in/out", "time limit")


def _row(t: TaskSummary) -> tuple[str, ...]:
    return (
        t.task_id,
        str(t.episodes),
        f"{100 * t.success_rate:.1f}%",
        f"{100 * t.ci_low:.0f}-{100 * t.ci_high:.0f}%",
        f"{t.mean_steps:.1f}",
        str(t.infra_errors),
        f"{t.input_tokens}/{t.output_tokens}",
        t.time_limit or "-",
    )


def _stage_rows(s: Summary) -> list[tuple[str, ...]]:
    return [
        (
            st.stage,
            str(st.steps),
            f"{1000 * st.mean:.0f}",
            f"{1000 * st.p50:.0f}",
            f"{1000 * st.p90:.0f}",
            f"{1000 * st.p99:.0f}",
        )
        for st in s.stages
    ]


def _header(s: Summary) -> list[str]:
    return [
        f"benchmark: {s.benchmark}   policy: {s.policy}   environment: {s.environment}",
        f"episodes: {s.overall.episodes}/{s.expected_episodes}"
        + (f" ({s.missing_episodes} missing)" if s.missing_episodes else "")
        + f"   task time limit: {s.time_limit_mode or 'n/a'}"
        + (f"   throughput: {s.episodes_per_minute:.1f} episodes/min" if s.episodes_per_minute else ""),
    ]


def to_table(s: Summary) -> str:
    """A fixed-width table for terminals and CI logs."""
    rows = [_HEAD, *(_row(t) for t in s.tasks), _row(s.overall)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEAD))]

    def fmt(r: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    lines = [*_header(s), "", fmt(rows[0]), rule, *(fmt(r) for r in rows[1:-1]), rule, fmt(rows[-1]), ""]
    stage_head = ("stage", "steps", "mean ms", "p50 ms", "p90 ms", "p99 ms")
    stage_rows = [stage_head, *_stage_rows(s)]
    sw = [max(len(r[i]) for r in stage_rows) for i in range(len(stage_head))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, sw, strict=True)) for r in stage_rows]
    return "\n".join(lines)


def _md_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def to_markdown(s: Summary) -> str:
    """The summary as a Markdown document."""
    lines = [f"# {s.benchmark} results", "", *(f"- {h}" for h in _header(s)), ""]
    lines += ["## Success per task", ""]
    lines += _md_table(_HEAD, [*(_row(t) for t in s.tasks), tuple(f"**{c}**" for c in _row(s.overall))])
    lines += ["", "## Latency per step", ""]
    lines += _md_table(("stage", "steps", "mean ms", "p50 ms", "p90 ms", "p99 ms"), _stage_rows(s))
    lines += ["", "Confidence intervals are 95 % Wilson score intervals.", ""]
    return "\n".join(lines)


def write_reports(s: Summary, out_dir: Path) -> tuple[Path, Path]:
    """Write ``summary.json`` and ``summary.md`` (atomically) and return their paths."""
    json_path, md_path = out_dir / "summary.json", out_dir / "summary.md"
    atomic_write_json(json_path, s.model_dump(mode="json"))
    tmp = md_path.with_suffix(".md.tmp")
    tmp.write_text(to_markdown(s), encoding="utf-8")
    tmp.replace(md_path)
    return json_path, md_path
