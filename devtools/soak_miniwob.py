"""Soak: hundreds of MiniWoB++ episodes over recycled worker processes; memory and leftovers.

Run: ``python -m devtools.soak_miniwob [--episodes 500] [--workers 2] [--recycle-after 50]``

Runs the benchmark runner with the ``dom-match`` baseline on the browser environment (no
model needed) and samples, after every finished episode, the resident memory of each
worker process and of its whole process tree (its Chromium included), from ``/proc``
(Linux; proportional set size, so that pages Chromium's processes share count once). It
prints, per worker process, the memory after warm-up and at its last episode, and the
number of Chromium processes still alive once the run is over.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.progress import Progress
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.registry import create_benchmark
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec

TASKS = ("click-button", "click-link", "enter-text", "focus-text")
"""Tasks the baseline solves quickly, so that the soak measures the machinery."""

WARM_UP = 5
"""Episodes a fresh worker runs before its memory counts as its baseline."""

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _stat(pid: int) -> tuple[int, str] | None:
    """``(parent pid, command name)`` of a live process, from ``/proc``."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    return int(text[text.rindex(")") + 2 :].split()[1]), name


def _rss_mb(pid: int) -> float:
    """Proportional set size (shared pages split among their users), else resident size."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MB
    except OSError:
        return 0.0


def descendants(root: int) -> list[int]:
    """Every live process below ``root``."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            children[st[0]].append(int(entry.name))
    out, stack = [], [root]
    while stack:
        for kid in children.get(stack.pop(), []):
            out.append(kid)
            stack.append(kid)
    return out


class MemoryProbe(Progress):
    """A progress bar that samples each worker's memory whenever an episode finishes."""

    def __init__(self, executor: LocalProcessExecutor, total: int) -> None:
        super().__init__(total, desc="soak", every_percent=10)
        self.executor = executor
        self.samples: dict[int, list[tuple[float, float]]] = defaultdict(list)
        """Worker pid -> ``(worker MB, worker + descendants MB)`` after each sampled episode."""
        self.chromium: set[int] = set()

    def update(self, n: int = 1, *, ok: bool | None = None, note: str = "") -> None:
        super().update(n, ok=ok, note=note)
        for slot in self.executor._slots:
            if slot.process is None or slot.process.pid is None:
                continue
            pid = slot.process.pid
            tree = descendants(pid)
            self.chromium.update(p for p in tree if "chrom" in ((_stat(p) or (0, ""))[1]).lower())
            self.samples[pid].append((_rss_mb(pid), _rss_mb(pid) + sum(_rss_mb(p) for p in tree)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--recycle-after", type=int, default=50)
    parser.add_argument(
        "--tasks", nargs="+", default=["click-button", "click-link", "enter-text", "focus-text"]
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="soak-"))
    bench = create_benchmark("miniwob", {})
    tasks = select_tasks(bench.tasks(), args.tasks, [])
    bench.close()
    per_task = -(-args.episodes // len(tasks))
    episodes = plan_episodes(tasks, per_task)[: args.episodes]
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob"),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="dom-match"),
        agent=AgentConfig(max_steps=10),
        episode_time_limit_s=60,
    )
    executor = LocalProcessExecutor(args.workers, recycle_after=args.recycle_after)
    probe = MemoryProbe(executor, len(episodes))
    started = time.monotonic()
    report = BenchmarkRunner(spec, out, executor, progress=probe).run(episodes)
    elapsed = time.monotonic() - started
    time.sleep(2.0)  # let retired processes finish closing
    left = sorted(p for p in probe.chromium if _stat(p) is not None)
    print(
        f"{report.ran} episodes ({report.summary.overall.successes} solved) in {elapsed:.0f}s over "
        f"{executor.spawned} worker processes; records in {out}"
    )
    _print_memory(probe)
    print(f"Chromium processes seen: {len(probe.chromium)}; still alive after the run: {len(left)} {left}")


def _print_memory(probe: MemoryProbe) -> None:
    worst_worker = worst_tree = 0.0
    for pid, samples in probe.samples.items():
        if len(samples) <= WARM_UP:
            continue
        base, last = samples[WARM_UP - 1], samples[-1]
        grow_worker = max(s[0] for s in samples[WARM_UP:]) - base[0]
        grow_tree = max(s[1] for s in samples[WARM_UP:]) - base[1]
        worst_worker, worst_tree = max(worst_worker, grow_worker), max(worst_tree, grow_tree)
        print(
            f"  worker {pid}: {len(samples)} samples; worker {base[0]:.0f} -> {last[0]:.0f} MB "
            f"(max +{grow_worker:.0f}), with Chromium {base[1]:.0f} -> {last[1]:.0f} MB "
            f"(max +{grow_tree:.0f})"
        )
    print(
        f"largest growth after warm-up: worker +{worst_worker:.0f} MB, "
        f"worker with Chromium +{worst_tree:.0f} MB"
    )


if __name__ == "__main__":
    main()
