import io
import json

import pytest

from screenpilot.agent.progress import Progress
from screenpilot.agent.result import StageTimes
from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.report import to_markdown, to_table, write_reports
from screenpilot.benchmarks.stats import percentile, wilson_interval
from screenpilot.benchmarks.store import ResultsStore, load_state
from screenpilot.benchmarks.summary import summarize
from screenpilot.model.types import Usage


def outcome(key: str, kind: str = "success", attempt: int = 0, **kw) -> EpisodeOutcome:
    task, _, index = key.partition("#")
    return EpisodeOutcome(
        key=key,
        config_hash="h",
        attempt=attempt,
        task_id=task,
        index=int(index),
        seed=int(index),
        kind=kind,
        **kw,
    )


def test_torn_last_line_is_skipped_and_fenced(tmp_path):
    path = tmp_path / "results.jsonl"
    store = ResultsStore(path)
    store.started("a#0", "h", 0, "episodes/a__000__a0")
    store.attempt(outcome("a#0"), final=True)
    store.close()
    with path.open("a") as f:  # a writer killed half-way through a line
        f.write('{"type": "attempt", "key": "b#0", "conf')
    store = ResultsStore(path)
    store.attempt(outcome("b#0", "failure"), final=True)
    store.close()
    state = load_state(path)
    assert state.skipped_lines == 1
    assert state.final("a#0", "h").kind == "success" and state.final("b#0", "h").kind == "failure"
    assert state.partial_attempts() == []


def test_started_without_end_is_partial(tmp_path):
    path = tmp_path / "results.jsonl"
    store = ResultsStore(path)
    store.started("a#0", "h", 0, "episodes/x")
    store.started("a#1", "h", 0, "episodes/y")
    store.attempt(outcome("a#1"), final=True)
    store.close()
    state = load_state(path)
    assert state.partial_attempts() == [("a#0", "h", 0, "episodes/x")]
    assert state.max_attempt == {"a#0": 0, "a#1": 0}


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3) and high == pytest.approx(0.9433, abs=1e-3)
    assert wilson_interval(0, 5)[0] == 0.0 and wilson_interval(5, 5)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5.0], 99) == 5.0
    assert percentile([], 50) == 0.0
    assert percentile(list(range(101)), 90) == 90


def test_summary_tables_and_files(tmp_path):
    times = (StageTimes(observe_s=0.01, predict_s=0.5, act_s=0.02), StageTimes(observe_s=0.03, predict_s=1.5))
    outs = [
        outcome("t1#0", steps=2, step_times=times, usage=Usage(input_tokens=100, output_tokens=10),
                info={"time_limit": "10s", "time_limit_mode": "task"}),
        outcome("t1#1", "failure", steps=4, step_times=times[:1], info={"time_limit": "10s"}),
        outcome("t2#0", "infra_error"),
    ]  # fmt: skip
    s = summarize(
        outs, benchmark="b", policy="p", environment="e", expected_episodes=4, time_limit_mode="task"
    )
    t1 = s.tasks[0]
    assert (t1.episodes, t1.successes, t1.mean_steps, t1.input_tokens, t1.time_limit) == (
        2,
        1,
        3.0,
        100,
        "10s",
    )
    assert s.overall.infra_errors == 1 and s.missing_episodes == 1
    predict = next(x for x in s.stages if x.stage == "predict")
    assert predict.steps == 3 and predict.p50 == pytest.approx(0.5) and predict.mean == pytest.approx(2.5 / 3)
    table = to_table(s)
    assert "t1" in table and "50.0%" in table and "1 missing" in table and "task time limit: task" in table
    md = to_markdown(s)
    assert "| t1 | 2 | 50.0% |" in md and "Wilson" in md
    json_path, md_path = write_reports(s, tmp_path)
    assert json.loads(json_path.read_text())["overall"]["episodes"] == 3
    assert md_path.read_text() == md


def test_progress_counts_failures_and_retries_in_plain_lines():
    stream = io.StringIO()
    p = Progress(3, desc="episodes", stream=stream, tty=False, every_percent=1)
    p.update(ok=True)
    p.retried()
    p.update(ok=False)
    p.update(ok=True)
    p.close()
    text = stream.getvalue()
    assert "\r" not in text
    last = text.splitlines()[-1]
    assert last.startswith("episodes 3/3 100%") and "1 failed" in last and "1 retried" in last


def test_quiet_progress_counts_and_writes_nothing():
    stream = io.StringIO()
    p = Progress(2, stream=stream, tty=True, enabled=False)
    p.update(ok=True)
    p.update(ok=False)
    p.close()
    assert (p.done, p.failed, stream.getvalue()) == (2, 1, "")
