import json
from collections import Counter

import pytest

from screenpilot.benchmarks.executor import InlineExecutor
from screenpilot.benchmarks.executor_local import LocalProcessExecutor
from screenpilot.benchmarks.fake import FakeBenchmark, FakeBenchmarkOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.store import load_state
from screenpilot.tools.errors import ConfigError

TASKS = FakeBenchmark(FakeBenchmarkOptions()).tasks()


def attempts(out):
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return [r for r in records if r["type"] == "attempt"]


def test_inline_run_scores_tasks_and_records_trajectories(tmp_path, fake_spec):
    episodes = plan_episodes(TASKS, 2)
    report = BenchmarkRunner(fake_spec(), tmp_path, InlineExecutor()).run(episodes)
    rates = {t.task_id: t.success_rate for t in report.summary.tasks}
    assert rates == {"open-help": 1.0, "tick-remember": 1.0, "sign-in": 0.0}
    assert report.summary.overall.episodes == 6 and report.summary.overall.successes == 4
    assert report.summary.missing_episodes == 0
    # Every attempt left a normal agent trajectory in the run directory.
    for outcome in report.outcomes:
        run_dir = tmp_path / outcome.run_dir
        assert (run_dir / "result.json").is_file() and (run_dir / "events.jsonl").is_file()
        manifest = json.loads((run_dir / "manifest.json").read_text())
        assert manifest["config_hash"] == outcome.config_hash
        assert manifest["episode"]["seed"] == outcome.seed
    # The evaluator ended the solved episodes right after the step that solved them.
    solved = next(o for o in report.outcomes if o.task_id == "open-help")
    assert solved.steps == 1 and solved.reason == "goal reached"
    assert all(len(o.step_times) >= 1 for o in report.outcomes)


def test_infra_failures_are_retried_and_task_failures_are_not(tmp_path, fake_spec):
    spec = fake_spec(crash_setup_attempts=1, crash_step_attempts=2, fault_tasks="open-help,sign-in")
    report = BenchmarkRunner(spec, tmp_path, InlineExecutor()).run(plan_episodes(TASKS, 1))
    per_key = Counter(a["key"] for a in attempts(tmp_path))
    # open-help: a set-up crash, then a crash on the first action, then a clean success.
    assert per_key["open-help#0"] == 3
    first, second, third = [a for a in attempts(tmp_path) if a["key"] == "open-help#0"]
    assert (first["kind"], first["error_type"], first["final"]) == ("infra_error", "EnvCrashed", False)
    assert (second["kind"], second["error_type"], second["final"]) == ("infra_error", "EnvCrashed", False)
    assert (third["kind"], third["final"]) == ("success", True)
    # sign-in: after its infrastructure faults it fails at the task itself, and that is final.
    sign_in = [a for a in attempts(tmp_path) if a["key"] == "sign-in#0"]
    assert [a["kind"] for a in sign_in] == ["infra_error", "infra_error", "failure"]
    # tick-remember had no faults: one attempt.
    assert per_key["tick-remember#0"] == 1
    assert {o.key: o.kind for o in report.outcomes} == {
        "open-help#0": "success",
        "sign-in#0": "failure",
        "tick-remember#0": "success",
    }


def test_task_failure_is_never_retried(tmp_path, fake_spec):
    episodes = plan_episodes(select_tasks(TASKS, ["sign-in"]), 3)
    BenchmarkRunner(fake_spec(retries=5), tmp_path, InlineExecutor()).run(episodes)
    assert [a["kind"] for a in attempts(tmp_path)] == ["failure"] * 3


def test_infra_failure_out_of_retries_is_final_and_reported(tmp_path, fake_spec):
    spec = fake_spec(retries=2, crash_setup_attempts=99, fault_tasks="open-help")
    report = BenchmarkRunner(spec, tmp_path, InlineExecutor()).run(
        plan_episodes(select_tasks(TASKS, ["open-*"]), 1)
    )
    assert [a["final"] for a in attempts(tmp_path)] == [False, False, True]
    task = report.summary.tasks[0]
    assert (task.episodes, task.successes, task.infra_errors) == (1, 0, 1)


def test_resume_skips_finished_episodes_and_reruns_on_config_change(tmp_path, fake_spec):
    episodes = plan_episodes(TASKS, 2)
    BenchmarkRunner(fake_spec(), tmp_path, InlineExecutor()).run(episodes)
    with pytest.raises(ConfigError, match="--resume"):
        BenchmarkRunner(fake_spec(), tmp_path, InlineExecutor()).run(episodes)
    again = BenchmarkRunner(fake_spec(), tmp_path, InlineExecutor(), resume=True).run(episodes)
    assert (again.ran, again.skipped) == (0, 6)
    assert again.summary.overall.successes == 4
    # A different configuration is a different experiment: everything runs again.
    changed = BenchmarkRunner(fake_spec(step_delay_s=0.001), tmp_path, InlineExecutor(), resume=True).run(
        episodes
    )
    assert (changed.ran, changed.skipped) == (6, 0)
    assert len(load_state(tmp_path / "results.jsonl").finals) == 12


def test_process_pool_replaces_dead_and_stuck_workers(tmp_path, fake_spec):
    # open-help's first attempt kills its worker; tick-remember's first hangs past the hard limit.
    spec = fake_spec(time_limit=1.0, grace=1.0, die_attempts=1, fault_tasks="open-help")
    report = BenchmarkRunner(spec, tmp_path / "a", LocalProcessExecutor(2)).run(plan_episodes(TASKS, 1))
    died = [a for a in attempts(tmp_path / "a") if a["kind"] == "infra_error"]
    assert [(a["key"], a["error_type"]) for a in died] == [("open-help#0", "EnvCrashed")]
    assert report.summary.overall.successes == 2

    hang = fake_spec(time_limit=1.0, grace=1.0, hang_attempts=1, hang_s=30, fault_tasks="tick-remember")
    report = BenchmarkRunner(hang, tmp_path / "b", LocalProcessExecutor(2)).run(
        plan_episodes(select_tasks(TASKS, ["tick-*"]), 1)
    )
    stuck = [a for a in attempts(tmp_path / "b") if a["kind"] == "infra_error"]
    assert [a["error_type"] for a in stuck] == ["EnvTimeout"]
    assert 1.5 < stuck[0]["elapsed_s"] < 20
    assert report.outcomes[0].kind == "success"


def test_task_filters(fake_spec):
    assert [t.task_id for t in select_tasks(TASKS, ["*-*"], ["sign*"])] == ["open-help", "tick-remember"]
    with pytest.raises(ConfigError, match="no task matches"):
        select_tasks(TASKS, ["nope-*"])
