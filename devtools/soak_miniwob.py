"""Soak: hundreds of MiniWoB++ episodes over recycled worker processes; memory and leftovers.

Run: ``python -m devtools.soak_miniwob [--episodes 500] [--workers 2] [--recycle-after 50]``

Runs the benchmark runner with the ``dom-match`` baseline on the browser environment (no
model needed) and samples, after every finished episode, the resident memory of each
worker process and of its whole process tree (its Chromium included), from ``/proc``
(Linux; proportional set size, so that pages Chromium's processes share count once). It
prints, per worker process, the memory after warm-up and at its last episode, and the
number of Chromium processes still alive once the run is over.

Memory is reported as the median of a window of samples right after warm-up against the
median of the last window (growth), the largest sample after warm-up (peak), and a curve
of window medians over each worker's life: Chromium's renderers swing by tens of MB from
one page to the next, so a single sample says little about a trend.
"""

from __future__ import annotations

import argparse
import os
import statistics
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

TASKS = ("click-button", "enter-text", "enter-text-dynamic", "unicode-test")
"""Tasks the baseline solves (clicking and typing), so that the soak measures the machinery."""

WARM_UP = 10
"""Samples (finished episodes of any worker) before a worker's memory counts as its baseline."""

WINDOW = 10
"""Samples per window median."""

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
        self.main: list[float] = []
        """This (the runner's) process's memory after each finished episode."""

    def update(self, n: int = 1, *, ok: bool | None = None, note: str = "") -> None:
        super().update(n, ok=ok, note=note)
        self.main.append(_rss_mb(os.getpid()))
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
    parser.add_argument("--tasks", nargs="+", default=list(TASKS))
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
    if len(probe.main) >= WARM_UP + WINDOW:
        base, end, peak = _growth(probe.main)
        print(f"main process: {base:.0f} -> {end:.0f} MB (peak {peak:.0f})")
    print(f"Chromium processes seen: {len(probe.chromium)}; still alive after the run: {len(left)} {left}")


def _print_memory(probe: MemoryProbe) -> None:
    worst = {"worker": 0.0, "tree": 0.0, "worker peak": 0.0, "tree peak": 0.0}
    for pid, samples in probe.samples.items():
        if len(samples) < WARM_UP + WINDOW:
            continue
        parts = {"worker": [s[0] for s in samples], "tree": [s[1] for s in samples]}
        line = [f"  worker {pid}: {len(samples)} samples;"]
        for name, values in parts.items():
            base, end, peak = _growth(values)
            worst[name] = max(worst[name], end - base)
            worst[name + " peak"] = max(worst[name + " peak"], peak - base)
            label = "worker" if name == "worker" else "with Chromium"
            line.append(f"{label} {base:.0f} -> {end:.0f} MB ({end - base:+.0f}, peak +{peak - base:.0f})")
        print(" ".join(line))
        print(f"    with Chromium, window medians: {_curve(parts['tree'])}")
    print(
        f"largest growth after warm-up (window medians): worker {worst['worker']:+.0f} MB, worker with "
        f"Chromium {worst['tree']:+.0f} MB; largest peak: +{worst['worker peak']:.0f} / "
        f"+{worst['tree peak']:.0f} MB"
    )


def _growth(values: list[float]) -> tuple[float, float, float]:
    """Median of the first window after warm-up, of the last window, and the peak after warm-up."""
    after = values[WARM_UP:]
    return statistics.median(after[:WINDOW]), statistics.median(after[-WINDOW:]), max(after)


def _curve(values: list[float]) -> str:
    after = values[WARM_UP:]
    return " ".join(f"{statistics.median(after[i : i + WINDOW]):.0f}" for i in range(0, len(after), WINDOW))


if __name__ == "__main__":
    main()
