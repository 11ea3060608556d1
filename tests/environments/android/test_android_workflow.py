"""Workflows on the simulated phone: targets from the UI dump, and from OCR without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.workflows.loader import load_workflow
from screenpilot.workflows.run import WorkflowRunner

pytestmark = pytest.mark.android

FORM = """
name: android form
variables: {who: Ada Lovelace}
defaults: {timeout: 5}
steps:
  - click: Form
  - type: ${who}
    into: Enter your name
  - click: {text: Submit, exact: true}
"""

SETTINGS = """
name: bluetooth on
defaults: {timeout: 5}
steps:
  - click: Settings
  - wait_for: Bluetooth
  - click: Bluetooth
"""


def _run(env: AndroidEnvironment, text: str, tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(text, encoding="utf-8")
    result = WorkflowRunner(env, out_dir=tmp_path / "runs").run(load_workflow(flow))
    assert result.success, result.run.reason


def test_workflow_fills_the_form_from_the_ui_dump(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    _run(env, FORM, tmp_path)
    assert sim.device.state.submitted == [{"name": "Ada Lovelace", "message": ""}]


def test_workflow_reads_the_screen_when_there_is_no_ui_dump(
    sim: AdbSimulator,
    make_env,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    env = make_env(sim, elements=False)
    assert env.observe().elements == ()
    _run(env, SETTINGS, tmp_path)
    assert sim.device.state.toggles["bluetooth"] is True
