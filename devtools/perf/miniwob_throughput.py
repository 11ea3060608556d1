"""MiniWoB++ episodes per minute at 1, 2 and 4 worker processes.

Run: ``python -m devtools.perf.miniwob_throughput [--runs 3] [--episodes 4] [--workers 1 2 4]``

Each run is a whole benchmark run of the ``dom-match`` baseline (no model, so this
measures the harness: page loads, seeded starts, screenshots, element extraction,
actions, reward reads, trajectory recording) on a few easy tasks, from a cold start
(worker processes spawned and browsers launched inside the measured time), and steady
(from each worker's first finished episode on, read from ``results.jsonl``). Prints the
medians of ``--runs`` runs per worker count and the speed-ups over one worker. On a
machine with few cores the speed-up is bounded by the cores, not the harness.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from screenpilot.agent.config import AgentConfig
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec

TASKS = ("click-button", "click-link", "click-tab", "focus-text")


def steady_rate(results: Path, workers: int) -> float:
    """Episodes per minute once every worker has finished its first episode (no start-up)."""
    ends = sorted(r["t"] for r in map(json.loads, results.read_text().splitlines()) if r["type"] == "attempt")
    if len(ends) <= workers:
        return 0.0
    return 60.0 * (len(ends) - workers) / (ends[-1] - ends[workers - 1])


def one_run(workers: int, episodes: int, out: Path) -> tuple[float, float, float]:
    """Episodes per minute (cold, and steady) and the success rate of one run."""
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
    steady = steady_rate(out / "results.jsonl", workers)
    return 60.0 * len(plan) / elapsed, steady, report.summary.overall.success_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--episodes", type=int, default=4, help="episodes per task (4 tasks)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  tasks: {', '.join(TASKS)}  episodes per run: {4 * args.episodes}")
    medians: dict[int, float] = {}
    steadies: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            rates, steady, success = [], [], []
            for r in range(args.runs):
                epm, warm, ok = one_run(workers, args.episodes, Path(tmp) / f"w{workers}-r{r}")
                rates.append(epm)
                steady.append(warm)
                success.append(ok)
            medians[workers] = statistics.median(rates)
            steadies[workers] = statistics.median(steady)
            print(
                f"workers={workers}: median {medians[workers]:.1f} episodes/min cold, "
                f"{steadies[workers]:.1f} steady "
                f"(runs: {', '.join(f'{x:.1f}' for x in rates)}; "
                f"baseline success {100 * statistics.mean(success):.0f}%)"
            )
    base = medians.get(1)
    if base:
        for workers, m in medians.items():
            warm = steadies[workers] / steadies[1] if steadies[1] else 0.0
            print(f"speed-up at {workers} workers: {m / base:.2f}x cold, {warm:.2f}x steady")


if __name__ == "__main__":
    main()
