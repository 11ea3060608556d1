"""Worker processes are replaced after N episodes, and throughput covers every invocation."""

from __future__ import annotations

import json
import time

from screenpilot.benchmarks.executor import InlineExecutor
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.fake import FakeBenchmark, FakeBenchmarkOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes

TASKS = FakeBenchmark(FakeBenchmarkOptions()).tasks()


def test_workers_are_recycled_after_n_episodes(tmp_path, fake_spec):
    executor = LocalProcessExecutor(1, recycle_after=2)
    report = BenchmarkRunner(fake_spec(), tmp_path, executor).run(plan_episodes(TASKS[:1], 5))
    assert report.ran == 5 and report.summary.overall.successes == 5
    assert executor.spawned == 3  # 2 + 2 + 1 episodes
    assert executor._retiring == []  # every retired process was joined


def test_throughput_covers_every_invocation(tmp_path, fake_spec):
    spec = fake_spec()
    walls = []
    for episodes, resume in ((1, False), (3, True)):
        started = time.monotonic()
        report = BenchmarkRunner(spec, tmp_path, InlineExecutor(), resume=resume).run(
            plan_episodes(TASKS, episodes)
        )
        walls.append(time.monotonic() - started)
        time.sleep(0.2)  # a pause between invocations is not running time
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [r["type"] for r in records].count("invocation") == 2
    summary = report.summary
    assert report.ran == 6 and summary.overall.episodes == 9
    assert 0.5 * sum(walls) <= summary.elapsed_s <= sum(walls)
    assert summary.episodes_per_minute == 60.0 * 9 / summary.elapsed_s
