"""The Ray executor on a two-node Ray cluster started on this machine.

One cluster serves the whole module (starting Ray takes ~25 s on two cores). The test
that kills a node runs last.
"""

import json
from collections import Counter

import pytest

from screenpilot.app.cli.main import main
from screenpilot.benchmarks.executor import InlineExecutor
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.executor_ray import RayExecutor, RayExecutorConfig
from screenpilot.benchmarks.fake import FakeBenchmark, FakeBenchmarkOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec
from screenpilot.benchmarks.store import load_state
from tests.benchmarks.ray_cluster import local_cluster

pytest.importorskip("ray", reason="the 'ray' extra is not installed")

pytestmark = [pytest.mark.slow]

FAKE_TASKS = FakeBenchmark(FakeBenchmarkOptions()).tasks()


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(nodes=2) as c:
        yield c


def records(out):
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]


def verdicts(report):
    return {o.key: (o.kind, o.reward, o.steps) for o in report.outcomes}


class StopAfter:
    """A progress sink that calls ``action`` once ``n`` episodes have finished."""

    def __init__(self, n, action):
        self.n, self.action, self.done, self.retries = n, action, 0, 0

    def reset(self, total):
        self.done = 0

    def update(self, ok=None, note=""):
        self.done += 1
        if self.done == self.n:
            self.action()

    def retried(self):
        self.retries += 1

    def close(self):
        return None


def test_fake_benchmark_on_two_nodes_matches_the_local_executor(tmp_path, cluster, fake_spec):
    # open-help's first attempt kills its actor's process: retried on a fresh actor, counted once.
    spec = fake_spec(die_attempts=1, fault_tasks="open-help")
    episodes = plan_episodes(FAKE_TASKS, 3)
    executor = RayExecutor(RayExecutorConfig(workers_per_node=2))
    ray_report = BenchmarkRunner(spec, tmp_path / "ray", executor).run(episodes)
    local_report = BenchmarkRunner(spec, tmp_path / "local", LocalProcessExecutor(2)).run(episodes)

    assert verdicts(ray_report) == verdicts(local_report)
    assert ray_report.summary.overall.successes == 6 and ray_report.summary.overall.episodes == 9
    attempts = [r for r in records(tmp_path / "ray") if r["type"] == "attempt"]
    died = [(r["key"], r["error_type"], r["final"]) for r in attempts if r["kind"] == "infra_error"]
    assert sorted(died) == [(f"open-help#{i}", "EnvCrashed", False) for i in range(3)]
    # Four slots, placed round robin over the two nodes, all used.
    assert {r["worker"] for r in attempts} == {0, 1, 2, 3}
    assert all((tmp_path / "ray" / o.run_dir / "result.json").is_file() for o in ray_report.outcomes)


def test_a_run_started_locally_resumes_on_ray(tmp_path, cluster, fake_spec):
    spec = fake_spec(step_delay_s=0.05)
    episodes = plan_episodes(FAKE_TASKS, 3)

    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        BenchmarkRunner(spec, tmp_path, LocalProcessExecutor(2), progress=StopAfter(3, interrupt)).run(
            episodes
        )
    before = load_state(tmp_path / "results.jsonl")
    finished_locally = {key for key, _ in before.finals}
    assert len(finished_locally) >= 3 and before.partial_attempts(), "stopped with attempts in flight"

    executor = RayExecutor(RayExecutorConfig(workers_per_node=1))
    report = BenchmarkRunner(spec, tmp_path, executor, resume=True).run(episodes)
    assert report.skipped == len(finished_locally) and report.ran == 9 - len(finished_locally)
    assert report.partial, "the interrupted attempts are on record"
    finals = Counter(r["key"] for r in records(tmp_path) if r["type"] == "attempt" and r["final"])
    assert len(finals) == 9 and set(finals.values()) == {1}
    assert report.summary.overall.successes == 6


@pytest.mark.browser
def test_miniwob_on_ray_matches_the_local_executor(tmp_path, cluster):
    from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions

    tasks = select_tasks(
        MiniWoBBenchmark(MiniWoBOptions()).tasks(), ["click-button", "enter-text", "click-link"]
    )
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob", options={"no_time_limit": True}),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="dom-match"),
        episode_time_limit_s=30,
    )
    episodes = plan_episodes(tasks, 1, base_seed=3)
    ray_report = BenchmarkRunner(spec, tmp_path / "ray", RayExecutor(RayExecutorConfig())).run(episodes)
    local_report = BenchmarkRunner(spec, tmp_path / "local", InlineExecutor()).run(episodes)
    assert verdicts(ray_report) == verdicts(local_report)
    assert {o.instruction for o in ray_report.outcomes} == {o.instruction for o in local_report.outcomes}
    rates = {t.task_id: t.successes for t in ray_report.summary.tasks}
    assert rates == {"click-button": 1, "click-link": 1, "enter-text": 1}
    assert ray_report.summary.overall.infra_errors == 0


def test_bench_command_runs_on_the_cluster(tmp_path, cluster, capsys):
    out = tmp_path / "cli"
    argv = ["bench", "run", "fake", "--executor", "ray", "--ray-address", cluster.address]
    assert main([*argv, "--workers-per-node", "1", "--episodes", "1", "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["overall"]["episodes"], summary["overall"]["successes"]) == (3, 2)
    assert {r["worker"] for r in records(out) if r["type"] == "attempt"} <= {0, 1}


def test_a_node_killed_mid_run_loses_and_duplicates_nothing(tmp_path, cluster, fake_spec):
    spec = fake_spec(step_delay_s=0.2)
    episodes = plan_episodes(FAKE_TASKS, 3)
    victim = list(cluster.worker_nodes)[-1]

    def kill_node():
        # The raylet and every worker process of the second node go at once.
        cluster.remove_node(victim, allow_graceful=False)

    executor = RayExecutor(RayExecutorConfig(workers_per_node=2))
    progress = StopAfter(2, kill_node)
    report = BenchmarkRunner(spec, tmp_path, executor, progress=progress).run(episodes)

    attempts = [r for r in records(tmp_path) if r["type"] == "attempt"]
    lost = [r for r in attempts if r["kind"] == "infra_error"]
    assert lost, "the kill should have caught episodes in flight on the killed node"
    assert all(r["error_type"] == "EnvCrashed" and not r["final"] for r in lost)
    # The cluster still lists the killed node as alive for a while: its slots must not take
    # the retries there (each would be lost again, and a third loss would end the episode).
    assert len(lost) == len({r["key"] for r in lost}), "an attempt was lost twice"
    finals = Counter(r["key"] for r in attempts if r["final"])
    assert len(finals) == 9 and set(finals.values()) == {1}  # nothing lost, nothing twice
    assert {o.key: o.kind for o in report.outcomes} == {
        e.key: ("failure" if e.task.task_id == "sign-in" else "success") for e in episodes
    }
    # The lost attempts ran on the killed node; their retries on the surviving one's slots.
    on_victim = {i for i, node in enumerate(executor.placement) if node == victim.node_id}
    assert len(on_victim) == 2 and {r["worker"] for r in lost} <= on_victim
    retried = {r["key"] for r in lost}
    assert not {r["worker"] for r in attempts if r["key"] in retried and r["final"]} & on_victim
