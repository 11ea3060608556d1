"""Multi-step agent runs on the simulated phone: a scripted policy and a grounding function policy."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from android_helpers import element, rel_center

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy, ScriptedPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    OpenApp,
    SystemButton,
    SystemButtonName,
    Terminate,
    TypeText,
)

pytestmark = pytest.mark.android


def _targets(env: AndroidEnvironment) -> dict[str, object]:
    """Where things are, read from a separate look at the screens (as a script author would)."""
    env.reset()
    env.execute(OpenApp(name="Settings"))
    settings = env.observe()
    env.execute(OpenApp(name="Form"))
    form = env.observe()
    return {
        "bluetooth": rel_center(settings, element(settings, "Bluetooth", role="switch")),
        "name": rel_center(form, element(form, "Enter your name")),
        "message": rel_center(form, element(form, "Say something")),
        "submit": rel_center(form, element(form, "Submit")),
    }


def test_scripted_run_across_two_apps(
    make_sim,
    make_env,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    at = _targets(make_env(make_sim()))
    sim = make_sim(adb_keyboard=True)
    env = make_env(sim)
    script: list[Action | list[Action]] = [
        OpenApp(name="Settings"),
        Click(at=at["bluetooth"]),  # type: ignore[arg-type]
        SystemButton(button=SystemButtonName.HOME),
        OpenApp(name="Form"),
        [Click(at=at["name"]), TypeText(text="Ada Lovelace")],  # type: ignore[arg-type]
        [Click(at=at["message"]), TypeText(text="Grüße aus 東京")],  # type: ignore[arg-type]
        Click(at=at["submit"]),  # type: ignore[arg-type]
        Answer(text="done"),
    ]
    agent = Agent(env, ScriptedPolicy(script), AgentConfig(max_steps=12), out_dir=tmp_path)
    result = agent.run("turn on Bluetooth, then send the form")
    assert result.status == "success", result.reason
    assert result.steps == 8
    assert sim.device.state.toggles["bluetooth"] is True
    assert sim.device.state.submitted == [{"name": "Ada Lovelace", "message": "Grüße aus 東京"}]
    events = [json.loads(line) for line in (result.run_dir / "events.jsonl").read_text().splitlines()]  # type: ignore[operator]
    steps = [e for e in events if e["type"] == "step"]
    assert len(steps) == 8
    assert all(o["ok"] for e in steps for o in e["outcomes"])


class _Grounder:
    """Reads the UI dump like a cautious person: answer dialogs first, then follow the plan."""

    def __init__(self) -> None:
        self.saw_dialog = False
        self.saw_reconnect = False

    def __call__(
        self, task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action:
        self.saw_reconnect |= any("reconnected" in n for n in obs.notices)
        labels = {e.label for e in obs.elements}
        if "While using the app" in labels:
            self.saw_dialog = True
            return Click(at=rel_center(obs, element(obs, "While using the app")))
        if obs.app != "com.example.camera":
            return OpenApp(name="Camera")
        status = [e.text for e in obs.elements if e.text.startswith("Camera permission:")]
        if status and "granted" in status[0]:
            return Answer(text=status[0])
        return Terminate(status="failure", reason="permission not granted")


def test_function_policy_handles_the_permission_dialog_and_a_drop(
    sim: AdbSimulator, env: AndroidEnvironment
) -> None:
    grounder = _Grounder()
    dropped = []

    def drop_once(event: object) -> None:
        if not dropped:
            dropped.append(True)
            sim.drop(0.3)

    agent = Agent(env, FunctionPolicy(grounder), AgentConfig(max_steps=6), out_dir=None, on_step=[drop_once])
    result = agent.run("Open the camera and tell me whether it may take pictures")
    assert result.status == "success", result.reason
    assert result.answer == "Camera permission: granted"
    assert grounder.saw_dialog and grounder.saw_reconnect
    assert sim.device.state.permissions == {"camera": "granted"}
