"""The same MiniWoB++ episodes on the local executor and on a two-node Ray cluster.

Run: ``python -m devtools.perf.ray_vs_local [--episodes 20] [--workers 2] [--out DIR]``

Starts a Ray cluster of two nodes on this machine (127.0.0.1), runs ``--episodes`` seeded
episodes of each task in ``TASKS`` with the ``dom-match`` baseline once through
``LocalProcessExecutor(workers)`` and once through ``RayExecutor`` with ``workers / 2``
workers per node, then prints: episodes per minute of each (cold: worker start included;
steady: from each worker's first finished episode on), the mean time of one attempt as
the worker measured it, Ray's overhead per episode (wall time per episode, Ray minus
local), the cluster's start-up time (not part of either run), and every episode whose
verdict differs between the two.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from devtools.perf.miniwob_throughput import steady_rate
from screenpilot.agent.config import AgentConfig
from screenpilot.benchmarks.executor import Executor
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.executor_ray import RayExecutor, RayExecutorConfig
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, RunReport, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec
from tests.benchmarks.ray_cluster import local_cluster

TASKS = (
    "click-button",
    "click-link",
    "click-dialog-2",
    "enter-text",
    "enter-text-dynamic",
    "unicode-test",
    "click-tab",
    "focus-text",
    "click-checkboxes",
    "click-option",
)


def run(executor: Executor, out: Path, episodes: int) -> tuple[RunReport, float]:
    tasks = select_tasks(MiniWoBBenchmark(MiniWoBOptions()).tasks(), TASKS)
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob", options={"no_time_limit": True}),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="dom-match"),
        agent=AgentConfig(max_steps=5),
        episode_time_limit_s=60,
    )
    t0 = time.perf_counter()
    report = BenchmarkRunner(spec, out, executor).run(plan_episodes(tasks, episodes))
    return report, time.perf_counter() - t0


def describe(name: str, report: RunReport, elapsed: float, out: Path, workers: int) -> float:
    n = len(report.outcomes)
    mean_attempt = sum(o.elapsed_s for o in report.outcomes) / max(1, n)
    print(
        f"{name:<6} {n} episodes in {elapsed:6.1f}s: {60 * n / elapsed:6.1f} episodes/min cold, "
        f"{steady_rate(out / 'results.jsonl', workers):6.1f} steady; mean attempt {mean_attempt:.2f}s; "
        f"solved {report.summary.overall.successes}; infra errors {report.summary.overall.infra_errors}"
    )
    return elapsed / max(1, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20, help="episodes per task (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="workers in each run (default 2)")
    parser.add_argument("--out", type=Path, help="keep the run directories here")
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="ray-vs-local-"))

    local, local_s = run(LocalProcessExecutor(args.workers), root / "local", args.episodes)
    t0 = time.perf_counter()
    with local_cluster(nodes=2) as _:
        startup = time.perf_counter() - t0
        per_node = max(1, args.workers // 2)
        ray_report, ray_s = run(
            RayExecutor(RayExecutorConfig(workers_per_node=per_node)), root / "ray", args.episodes
        )
    print(f"Ray cluster start (2 nodes): {startup:.1f}s, not counted below")
    a = describe("local", local, local_s, root / "local", args.workers)
    b = describe("ray", ray_report, ray_s, root / "ray", 2 * per_node)
    print(f"Ray overhead per episode (wall time per episode, Ray - local): {1000 * (b - a):+.0f} ms")
    mine = {o.key: o.kind for o in local.outcomes}
    theirs = {o.key: o.kind for o in ray_report.outcomes}
    differ = sorted(k for k in mine if mine[k] != theirs.get(k))
    print("per task (local / ray successes):")
    for t_local, t_ray in zip(local.summary.tasks, ray_report.summary.tasks, strict=True):
        print(f"  {t_local.task_id:<22} {t_local.successes:>3} / {t_ray.successes:<3}")
    print(
        "episodes whose verdict differs:",
        ", ".join(f"{k} ({mine[k]}/{theirs.get(k)})" for k in differ) or "none",
    )
    print(f"run directories: {root}")


if __name__ == "__main__":
    main()
