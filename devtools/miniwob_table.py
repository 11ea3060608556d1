"""Compare two MiniWoB++ runs task by task, as the table in docs/benchmarks.md.

Each run is a ``screenpilot bench miniwob --out DIR`` directory. The table lists, per task,
the episodes solved before and after, and the episodes where the agent's run ended in
``success`` although the page's reward was not positive (a claim the page did not back).

    python -m devtools.miniwob_table --before runs/miniwob-before --after runs/miniwob-after
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TaskScore:
    """Final episodes of one task in one run."""

    episodes: int = 0
    solved: int = 0
    false_claims: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.solved / self.episodes if self.episodes else 0.0


def load_run(run_dir: Path) -> dict[str, TaskScore]:
    """Per-task scores from a run's ``results.jsonl`` (the last final attempt of each episode)."""
    finals: dict[str, dict[str, object]] = {}
    for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line
        if rec.get("type") == "attempt" and rec.get("final"):
            finals[str(rec["key"])] = rec
    scores: dict[str, TaskScore] = {}
    for rec in finals.values():
        s = scores.setdefault(str(rec["task_id"]), TaskScore())
        s.episodes += 1
        reward = float(rec.get("reward") or 0.0)  # type: ignore[arg-type]
        if rec.get("kind") == "success":
            s.solved += 1
        else:
            s.reasons.append(str(rec.get("reason", "")))
        if rec.get("run_status") == "success" and reward <= 0:
            s.false_claims += 1
        steps = rec.get("steps")
        if isinstance(steps, int) and steps <= 1 and rec.get("run_status") != "success" and reward <= 0:
            s.refused += 1  # the policy gave up on its first look: nothing was done
    return scores


def table(before: dict[str, TaskScore], after: dict[str, TaskScore], *, threshold: float = 0.9) -> str:
    """The Markdown comparison table, one row per task, with a totals line."""
    rows = [
        "| task | before | after | refused (before → after) | claimed success, reward ≤ 0 (before → after) |",
        "|---|---|---|---|---|",
    ]
    for task in sorted(set(before) | set(after)):
        b, a = before.get(task, TaskScore()), after.get(task, TaskScore())
        mark = " ✓" if a.episodes and a.rate >= threshold else ""
        rows.append(
            f"| {task} | {b.solved}/{b.episodes} | {a.solved}/{a.episodes}{mark} | "
            f"{b.refused} → {a.refused} | {b.false_claims} → {a.false_claims} |"
        )
    tb, ta = Totals.of(before, threshold), Totals.of(after, threshold)
    rows.append(
        f"| **all** | {tb.cell(threshold)} | {ta.cell(threshold)} | {tb.refused} → {ta.refused} "
        f"| {tb.claims} → {ta.claims} |"
    )
    return "\n".join(rows)


@dataclass(frozen=True)
class Totals:
    """One run summed over its tasks."""

    episodes: int
    solved: int
    good_tasks: int
    refused: int
    claims: int

    @classmethod
    def of(cls, run: dict[str, TaskScore], threshold: float) -> Totals:
        return cls(
            episodes=sum(s.episodes for s in run.values()),
            solved=sum(s.solved for s in run.values()),
            good_tasks=sum(1 for s in run.values() if s.episodes and s.rate >= threshold),
            refused=sum(s.refused for s in run.values()),
            claims=sum(s.false_claims for s in run.values()),
        )

    def cell(self, threshold: float) -> str:
        pct = 100 * self.solved / self.episodes if self.episodes else 0.0
        return f"{self.solved}/{self.episodes} ({pct:.1f} %; {self.good_tasks} tasks ≥ {threshold:.0%})"


def step_latency(run_dir: Path) -> tuple[float, float, int]:
    """Median and 90th percentile (ms) of the policy's time per step after each episode's
    first (the first pays for page loading and OCR warm-up), and how many steps were timed."""
    times: list[float] = []
    for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if rec.get("type") == "attempt" and rec.get("final"):
            times += [float(t.get("predict_s") or 0.0) * 1000 for t in (rec.get("step_times") or [])[1:]]
    if not times:
        return 0.0, 0.0, 0
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))], len(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--failures", action="store_true", help="list the reasons of failed episodes")
    parser.add_argument("--latency", action="store_true", help="the policy's time per step after the first")
    args = parser.parse_args(argv)
    before, after = load_run(args.before), load_run(args.after)
    print(table(before, after))
    if args.latency:
        for name, run_dir in (("before", args.before), ("after", args.after)):
            p50, p90, n = step_latency(run_dir)
            timing = f"median {p50:.0f} ms, p90 {p90:.0f} ms ({n} steps)"
            print(f"{name}: policy time per step after the first: {timing}")
    if args.failures:
        for task, s in sorted(after.items()):
            for reason in s.reasons:
                print(f"{task}: {reason[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
