"""SIGKILL at random points of real runs: every run directory left behind reads back,
renders as a report and compiles (or is refused with a ConfigError), and no temporary file
outlives the reader.

The victims are forked from the test process (imports already done), so 60 kill points
cost about as much as one interpreter start each would."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig, LoopConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.trajectory import load_run
from screenpilot.app.report import render_episode
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.tools.actions import Click, KeyPress
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Point
from screenpilot.workflows.compile import compile_run

KILL_POINTS = 60
SEED = 23


def _act(task: object, obs: object, history: list[object], feedback: object) -> object:
    # alternate a key and a click so that the screen (and its screenshot) keeps changing
    return KeyPress(keys=("tab",)) if len(history) % 2 else Click(at=Point(x=400, y=160 + len(history) % 5))


def _victim(out: Path) -> None:
    """The child: record a run that never ends, until it is killed."""
    try:
        config = AgentConfig(max_steps=100_000, settle_timeout_s=0, loop=LoopConfig(enabled=False))
        agent = Agent(FakeEnvironment(), FunctionPolicy(_act), config, out_dir=out)
        agent.run("tab forever", run_id="victim")
    finally:
        os._exit(0)


def _kill_after(out: Path, delay_s: float) -> None:
    pid = os.fork()
    if pid == 0:
        _victim(out)
    time.sleep(delay_s)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


@pytest.mark.slow
def test_runs_killed_at_random_points_read_back(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    read = cleaned = 0
    steps_seen: list[int] = []
    for n in range(KILL_POINTS):
        out = tmp_path / f"k{n}"
        _kill_after(out, rng.uniform(0.0, 0.25))
        run_dir = out / "victim"
        if not run_dir.is_dir():
            continue  # killed before the run began to record
        traj = load_run(run_dir)
        read += 1
        steps_seen.append(len(traj.steps))
        cleaned += sum("killed writer" in p for p in traj.problems)
        assert not traj.finished
        steps = traj.steps
        assert [s["index"] for s in steps] == list(range(len(steps)))
        for s in steps:
            with traj.screenshot(s["screenshot"]) as img:
                img.load()  # every recorded step's screenshot is whole
        assert not list(run_dir.rglob("*.tmp")), "a killed writer's temporary file survived the reader"
        if n % 6 == 0:  # rendering and compiling are slower; a tenth of the kill points
            assert "<html" in render_episode(run_dir).lower()
            try:
                compile_run(traj, allow_unfinished=True)
            except ConfigError as e:
                assert "no actions to replay" in str(e)
    assert read >= KILL_POINTS * 0.8
    print(f"{read} runs read back, {max(steps_seen)} steps at most, {cleaned} temporaries removed")
