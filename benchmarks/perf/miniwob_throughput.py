"""MiniWoB++ episodes per minute at 1, 2 and 4 worker processes.

Run: ``python -m benchmarks.perf.miniwob_throughput [--runs 3] [--episodes 4] [--workers 1 2 4]``

Each run is a whole benchmark run of the ``dom-match`` baseline (no model, so this
measures the harness: page loads, seeded starts, screenshots, element extraction,
actions, reward reads, trajectory recording) on a few easy tasks, from a cold start
(worker processes spawned and browsers launched inside the measured time). Prints the
median episodes per minute of ``--runs`` runs per worker count and the speed-up over one
worker. On a machine with few cores the speed-up is bounded by the cores, not the harness.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from agent.config import AgentConfig
from benchmarks.executor_local import LocalProcessExecutor
from benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from benchmarks.spec import ComponentSpec, RunSpec

TASKS = ("click-button", "click-link", "click-tab", "focus-text")


def one_run(workers: int, episodes: int, out: Path) -> tuple[float, float]:
    """Episodes per minute and success rate of one cold run."""
    tasks = select_tasks(MiniWoBBenchmark(MiniWoBOptions()).tasks(), TASKS)
    plan = plan_episodes(tasks, episodes)
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob"),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="dom-match"),
        agent=AgentConfig(max_steps=5),
        episode_time_limit_s=60,
    )
    t0 = time.perf_counter()
    report = BenchmarkRunner(spec, out, LocalProcessExecutor(workers)).run(plan)
    elapsed = time.perf_counter() - t0
    return 60.0 * len(plan) / elapsed, report.summary.overall.success_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--episodes", type=int, default=4, help="episodes per task (4 tasks)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  tasks: {', '.join(TASKS)}  episodes per run: {4 * args.episodes}")
    medians: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            rates, success = [], []
            for r in range(args.runs):
                epm, ok = one_run(workers, args.episodes, Path(tmp) / f"w{workers}-r{r}")
                rates.append(epm)
                success.append(ok)
            medians[workers] = statistics.median(rates)
            print(
                f"workers={workers}: median {medians[workers]:.1f} episodes/min "
                f"(runs: {', '.join(f'{x:.1f}' for x in rates)}; "
                f"baseline success {100 * statistics.mean(success):.0f}%)"
            )
    base = medians.get(1)
    if base:
        for workers, m in medians.items():
            print(f"speed-up at {workers} workers: {m / base:.2f}x")


if __name__ == "__main__":
    main()
