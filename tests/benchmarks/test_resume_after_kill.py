"""A run killed with SIGKILL mid-way and resumed loses and duplicates no episode."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from screenpilot.benchmarks.store import load_state

ROOT = Path(__file__).resolve().parents[2]


def bench(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "screenpilot.app.cli.main", "bench", "run", "fake",
        "--episodes", "3", "--workers", "2", "--out", str(out), "--max-steps", "5",
        "-B", "step_delay_s=0.15", "--quiet", *extra,
    ]  # fmt: skip


def records(path: Path) -> list[dict]:
    out = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a torn line from the killed writer
            out.append(json.loads(line))
    return out


def wait_mid_episode(results: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until at least two episodes finished and another one is under way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed"
        if results.exists():
            recs = records(results)
            ended = {(r["key"], r["attempt"]) for r in recs if r["type"] == "attempt"}
            started = {(r["key"], r["attempt"]) for r in recs if r["type"] == "started"}
            if len(ended) >= 2 and started - ended:
                return
        time.sleep(0.05)
    raise AssertionError("the run never got under way")


def test_killed_run_resumes_without_losing_or_duplicating(tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Its own session, so the kill takes the worker processes down with the runner.
    proc = subprocess.Popen(bench(out), cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_mid_episode(out / "results.jsonl", proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    n_before = len(records(out / "results.jsonl"))
    before = load_state(out / "results.jsonl")
    finished_before = {key for key, _ in before.finals}
    interrupted = before.partial_attempts()
    assert interrupted, "the kill should have caught an episode mid-way"
    assert 0 < len(finished_before) < 9

    done = subprocess.run(
        bench(out, "--resume"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr

    recs = records(out / "results.jsonl")
    finals = Counter(r["key"] for r in recs if r["type"] == "attempt" and r["final"])
    assert len(finals) == 9 and set(finals.values()) == {1}  # nothing lost, nothing twice
    # Episodes finished before the kill were not run again; everything else was.
    rerun = {r["key"] for r in recs[n_before:] if r["type"] == "started"}
    assert not (rerun & finished_before)
    assert rerun | finished_before == set(finals)
    # Interrupted attempts are on record, their trajectories kept aside as evidence.
    partial = [r for r in recs if r["type"] == "partial"]
    assert {(r["key"], r["attempt"]) for r in partial} == {(k, a) for k, _, a, _ in interrupted}
    for r in partial:
        if r["moved_to"]:
            assert (out / r["moved_to"] / "events.jsonl").is_file()
            assert not (out / "episodes" / Path(r["moved_to"]).name).exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overall"]["episodes"] == 9 and summary["missing_episodes"] == 0
    assert summary["overall"]["successes"] == 6
