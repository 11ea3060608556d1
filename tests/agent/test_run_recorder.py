"""The run recorder: manifest, step events with geometry and targets, crashes, result.json last."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import pytest

from screenpilot._version import __version__
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import ActionOutcome, StageTimes, StepEvent
from screenpilot.agent.run_recorder import RunRecorder
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.tools.actions import Click, TypeText
from screenpilot.tools.points import Point

CANARY = "hunter2-canary"


@pytest.fixture
def env() -> FakeEnvironment:
    env = FakeEnvironment(FakeConfig(scale_factor=2.0))
    env.reset()
    return env


def click_on(env: FakeEnvironment, widget: str) -> Click:
    x, y = env.center_of(widget)
    return Click(at=Point(x=x, y=y))


def test_the_manifest_has_the_common_fields_and_the_callers(env: FakeEnvironment, tmp_path: Path) -> None:
    record = RunRecorder("r1", tmp_path, SecretStore({"pw": CANARY}))
    record.start(
        f"log in with {CANARY}",
        policy="scripted",
        model="m-1",
        prompt_version="v3",
        capabilities=env.capabilities,
        config={"max_steps": 3},
        extra={"environment": "fake", "note": f"uses {CANARY}"},
    )
    manifest = json.loads((tmp_path / "r1" / "manifest.json").read_text())
    assert manifest["run_id"] == "r1" and manifest["task"] == "log in with [secret:pw]"
    assert manifest["screenpilot"] == __version__ and manifest["python"] == platform.python_version()
    assert (manifest["policy"], manifest["model"], manifest["prompt_version"]) == ("scripted", "m-1", "v3")
    assert manifest["capabilities"] == sorted(env.capabilities.actions) and manifest["platform"] == "fake"
    assert manifest["config"] == {"max_steps": 3} and isinstance(manifest["created"], float)
    assert manifest["environment"] == "fake" and manifest["note"] == "uses [secret:pw]"
    assert [e["type"] for e in load_run(tmp_path / "r1").events] == ["run_started"]


def test_a_step_records_what_the_screen_was_and_what_was_pointed_at(
    env: FakeEnvironment, tmp_path: Path
) -> None:
    seen: list[StepEvent] = []
    record = RunRecorder("r2", tmp_path, SecretStore({"pw": CANARY}), on_step=[seen.append])
    obs = env.observe()
    click = click_on(env, "password")
    outcome = ActionOutcome(action=click, ok=True, message="focused password")
    record.step(
        obs,
        actions=[click, TypeText(secret="pw")],
        outcomes=[outcome],
        thought=f"type {CANARY}",
        times=StageTimes(locate_s=0.25, act_s=0.5),
    )
    second = record.step(obs, times=StageTimes(act_s=0.25), workflow={"path": "steps[1]", "kind": "wait"})
    events = load_run(tmp_path / "r2").steps
    first = events[0]
    assert first["geometry"]["scale_factor"] == 2.0 and first["geometry"]["image_size"]["width"] == 1600
    assert first["title"] == obs.title and first["notices"] == []
    assert (tmp_path / "r2" / "shots" / f"{first['screenshot']}.png").exists()
    assert [t and t["id"] for t in first["targets"]] == ["password", None]
    assert first["thought"] == "type [secret:pw]" and "workflow" not in first
    assert events[1]["workflow"] == {"path": "steps[1]", "kind": "wait"} and events[1]["index"] == 1
    assert [e.index for e in seen] == [0, 1] and seen[0].thought == "type [secret:pw]"
    assert second.times.act_s == 0.25
    assert record.times == StageTimes(locate_s=0.25, act_s=0.75)


def test_a_crash_is_recorded_with_its_traceback(tmp_path: Path) -> None:
    record = RunRecorder("r3", tmp_path)

    def buggy() -> None:
        raise ZeroDivisionError("a bug")

    try:
        buggy()
    except ZeroDivisionError as e:
        record.crash(e)
    (crash,) = load_run(tmp_path / "r3").events
    assert crash["type"] == "crash" and crash["error"] == "ZeroDivisionError: a bug"
    assert "in buggy" in crash["traceback"] and "Traceback" in crash["traceback"]


def test_an_agent_whose_policy_has_a_bug_records_the_crash(env: FakeEnvironment, tmp_path: Path) -> None:
    def policy(*args: object) -> Click:
        return {}["missing"]  # type: ignore[no-any-return]

    result = Agent(env, FunctionPolicy(policy), AgentConfig(max_steps=2), out_dir=tmp_path).run(
        "x", run_id="bug"
    )
    assert result.status == "error" and "KeyError" in result.reason
    crash = [e for e in load_run(tmp_path / "bug").events if e["type"] == "crash"]
    assert len(crash) == 1 and "in policy" in crash[0]["traceback"]


def test_result_json_is_written_last_and_atomically(env: FakeEnvironment, tmp_path: Path) -> None:
    record = RunRecorder("r4", tmp_path)
    record.start("t", policy="p", capabilities=env.capabilities)
    record.step(env.observe(), times=StageTimes(act_s=0.5))
    assert not (tmp_path / "r4" / "result.json").exists()
    result = record.finish("success", "done", answer="42", extra={"workflow": "w"})
    run = load_run(tmp_path / "r4")
    assert run.events[-1]["type"] == "run_finished" and run.events[-1]["status"] == "success"
    assert run.result == json.loads(result.model_dump_json()) | {"workflow": "w"}
    assert result.steps == 1 and result.times.act_s == 0.5 and result.answer == "42"
    assert result.run_dir == tmp_path / "r4"
    assert sorted(p.name for p in (tmp_path / "r4").iterdir()) == [
        "events.jsonl",
        "manifest.json",
        "result.json",
        "shots",
    ]  # no temporary file left behind
    with pytest.raises(ValueError):  # the event log is closed: nothing comes after the result
        record.event("late")


def test_without_a_run_directory_nothing_is_written(
    env: FakeEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    seen: list[StepEvent] = []
    record = RunRecorder("r5", None, on_step=[seen.append])
    record.start("t", policy="p", capabilities=env.capabilities)
    record.event("anything")
    event = record.step(env.observe(), actions=[click_on(env, "username")], times=StageTimes(act_s=0.5))
    record.crash(RuntimeError("x"))
    result = record.finish("success")
    assert list(tmp_path.iterdir()) == []
    assert record.run_dir is None and result.run_dir is None
    assert seen == [event] and event.geometry == env.geometry and event.screenshot is None
    assert event.targets[0] is not None and event.targets[0].id == "username"
    assert result.steps == 1 and result.times.act_s == 0.5
