"""The same MiniWoB++ tasks, seeds and policy through this project's harness and BrowserGym's.

Run: ``python -m devtools.perf.harness_side_by_side [--episodes 10] [--workers 2] [--out DIR]``

Runs ``bench miniwob --no-time-limit`` and ``bench browsergym --suite miniwob`` (both with
the ``dom-match`` baseline, episode seeds 0..N-1) over ``TASKS`` and prints a Markdown table:
successes per task and overall with 95 % Wilson intervals, then the per-episode verdicts
that differ. The run directories hold every trajectory for looking into a difference.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from screenpilot.agent.config import AgentConfig
from screenpilot.benchmarks.browsergym.suite import BrowserGymBenchmark, BrowserGymOptions
from screenpilot.benchmarks.evaluator import Benchmark
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, RunReport, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec
from screenpilot.benchmarks.stats import wilson_interval

TASKS = (
    "click-button",
    "click-dialog-2",
    "click-link",
    "enter-text",
    "enter-text-dynamic",
    "focus-text",
    "unicode-test",
    "click-checkboxes",
)


def run(harness: str, episodes: int, workers: int, out: Path) -> RunReport:
    bench: Benchmark
    options: dict[str, object]
    if harness == "browsergym":
        bench, env, options = BrowserGymBenchmark(BrowserGymOptions()), "browsergym", {"suite": "miniwob"}
    else:
        bench, env, options = MiniWoBBenchmark(MiniWoBOptions()), "browser", {"no_time_limit": True}
    spec = RunSpec(
        benchmark=ComponentSpec(name=harness, options=options),
        environment=ComponentSpec(name=env),
        policy=ComponentSpec(name="dom-match"),
        agent=AgentConfig(max_steps=15),
        episode_time_limit_s=120,
    )
    plan = plan_episodes(select_tasks(bench.tasks(), TASKS), episodes)
    bench.close()
    return BenchmarkRunner(spec, out, LocalProcessExecutor(workers)).run(plan)


def cell(successes: int, n: int) -> str:
    lo, hi = wilson_interval(successes, n)
    return f"{successes}/{n} ({100 * successes / max(1, n):.0f} %, {100 * lo:.0f}–{100 * hi:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10, help="episodes per task (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--out", type=Path, help="keep the run directories here")
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="side-by-side-"))
    ours = run("miniwob", args.episodes, args.workers, root / "screenpilot")
    theirs = run("browsergym", args.episodes, args.workers, root / "browsergym")
    mine = {t.task_id: t for t in ours.summary.tasks}
    other = {t.task_id: t for t in theirs.summary.tasks}
    print("| task | screenpilot harness | BrowserGym harness |\n|---|---|---|")
    for task in TASKS:
        a, b = mine[task], other[task]
        print(f"| {task} | {cell(a.successes, a.episodes)} | {cell(b.successes, b.episodes)} |")
    a, b = ours.summary.overall, theirs.summary.overall
    print(f"| **overall** | {cell(a.successes, a.episodes)} | {cell(b.successes, b.episodes)} |")
    print(f"\ninfrastructure failures: screenpilot {a.infra_errors}, BrowserGym {b.infra_errors}")
    verdicts = {o.key: o for o in theirs.outcomes}
    for o in ours.outcomes:
        t = verdicts.get(o.key)
        if t is not None and t.kind != o.kind:
            print(f"{o.key}: screenpilot {o.kind} ({o.reason}) / BrowserGym {t.kind} ({t.reason})")
    print(f"run directories: {root}")


if __name__ == "__main__":
    main()
