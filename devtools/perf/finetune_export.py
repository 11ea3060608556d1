"""How much training data runs make: samples per episode, MB per 1,000 samples, export time.

Run: ``python -m devtools.perf.finetune_export [--episodes 20] [--workers 2] [--demos 5]``

Two sources, recorded fresh in a temporary directory:

* a MiniWoB++ sweep of the offline policy (no model) over tasks it solves, ``--episodes``
  per task (160x210 screenshots, the task area);
* ``--demos`` runs of ``screenpilot demo`` (the offline policy signing in on the bundled
  page at 1280x800), for the size of full-screen samples (the demo is deterministic: more
  runs give the same screens and answers, which an export keeps once).

Each is exported with ``export finetune`` in both formats; the table gives, per source and
format: runs found and successful, samples, samples per successful episode, images, MB
written, MB per 1,000 samples, samples and MB per 100 episodes of the sweep (failed ones
included), and the export's wall time. The tests export a
small sample of the same code path (tests/benchmarks/finetune).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.finetune.export import ExportReport, FinetuneExportConfig, export_finetune
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec

TASKS = ("click-button", "click-link", "click-tab", "enter-text", "click-checkboxes")


def sweep(out: Path, episodes: int, workers: int) -> float:
    """Record the MiniWoB++ sweep; returns its success rate."""
    tasks = select_tasks(MiniWoBBenchmark(MiniWoBOptions()).tasks(), TASKS)
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob"),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="offline"),
        episode_time_limit_s=60,
    )
    report = BenchmarkRunner(spec, out, LocalProcessExecutor(workers)).run(plan_episodes(tasks, episodes))
    return report.summary.overall.success_rate


def demos(out: Path, n: int) -> None:
    """Record ``n`` runs of ``screenpilot demo`` under ``out``."""
    for _ in range(n):
        subprocess.run(
            [sys.executable, "-m", "screenpilot", "demo", "--out", str(out), "--quiet"], check=True
        )


def row(name: str, fmt: str, report: ExportReport) -> str:
    """One line of the table: per episode counts successful episodes (the only ones read),
    per 100 episodes counts every episode of the sweep."""
    mb = report.bytes / 1e6
    per_ok = report.total / report.runs_used if report.runs_used else 0.0
    per_k = 1000 * mb / report.total if report.total else 0.0
    per_100 = 100 / report.runs if report.runs else 0.0
    return (
        f"{name:<14} {fmt:<8} {report.runs:>5} {report.runs_used:>4} {report.total:>8} {per_ok:>7.2f} "
        f"{report.images:>7} {mb:>7.2f} {per_k:>8.1f} {report.total * per_100:>8.0f} {mb * per_100:>8.2f} "
        f"{report.seconds:>8.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20, help="MiniWoB++ episodes per task")
    parser.add_argument("--workers", type=int, default=2, help="benchmark worker processes")
    parser.add_argument(
        "--demos", type=int, default=1, help="runs of the 1280x800 demo (identical runs export once)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        rate = sweep(root / "miniwob", args.episodes, args.workers)
        print(
            f"MiniWoB++ sweep: {len(TASKS) * args.episodes} episodes, success {rate:.0%}, "
            f"{time.perf_counter() - t0:.0f} s"
        )
        demos(root / "demo", args.demos)
        header = (
            f"{'source':<14} {'format':<8} {'runs':>5} {'ok':>4} {'samples':>8} {'per ok':>7} "
            f"{'images':>7} {'MB':>7} {'MB/1000':>8} {'/100 ep':>8} {'MB/100':>8} {'export s':>8}"
        )
        print(header)
        for name, source in (("miniwob", root / "miniwob"), ("demo 1280x800", root / "demo")):
            for fmt in ("qwen-vl", "chat"):
                config = FinetuneExportConfig(out=root / f"out-{name}-{fmt}".replace(" ", "_"), format=fmt)
                print(row(name, fmt, export_finetune([source], config)))


if __name__ == "__main__":
    main()
