"""The embedded offline policy runs multi-step tasks on the simulated phone (UI dump and OCR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator

pytestmark = pytest.mark.android


def test_offline_policy_fills_the_form_from_the_ui_dump(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    policy = create("policies", "offline", {"ocr": "off"})
    task = 'click "Form", then type "Ada Lovelace" into "Enter your name", then click "Submit"'
    result = Agent(env, policy, AgentConfig(max_steps=10), out_dir=tmp_path).run(task)
    assert result.status == "success", result.reason
    assert sim.device.state.submitted == [{"name": "Ada Lovelace", "message": ""}]


def test_offline_policy_toggles_a_switch_by_reading_pixels(
    sim: AdbSimulator,
    make_env,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    env = make_env(sim, elements=False)  # no UI dump: the policy has to read the screen (OCR)
    policy = create("policies", "offline", {"ocr": "always"})
    task = 'click "Settings", then click "Bluetooth"'
    result = Agent(env, policy, AgentConfig(max_steps=8), out_dir=tmp_path).run(task)
    assert result.status == "success", result.reason
    assert sim.device.state.toggles["bluetooth"] is True


def test_offline_policy_answers_the_permission_dialog_and_checks_a_switch(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    task = 'click "Camera", then click "While using the app"'
    result = Agent(env, create("policies", "offline", {}), AgentConfig(max_steps=8), out_dir=tmp_path).run(
        task
    )
    assert result.status == "success", result.reason
    assert sim.device.state.permissions == {"camera": "granted"}
    task = 'click "Settings", then check "Bluetooth"'
    result = Agent(env, create("policies", "offline", {}), AgentConfig(max_steps=8), out_dir=tmp_path).run(
        task
    )
    assert result.status == "success", result.reason
    assert sim.device.state.toggles["bluetooth"] is True
