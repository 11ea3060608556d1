"""Reading the desktop from pixels only: the offline policy and a workflow with OCR text and
image targets drive the Tk application, which exposes no elements to the driver."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import AgentConfig
from agent.loop import Agent
from agent.workflow.loader import load_workflow
from agent.workflow.runner import WorkflowRunner
from environments.desktop import DesktopEnvironment
from environments.geometry import box_to_space
from model.offline.policy import OfflinePolicy
from tests.environments.desktop.helpers import TkApp
from tools.points import Box, CoordSpace

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_offline_policy_fills_and_submits_the_form(
    desktop: DesktopEnvironment, tk_app: TkApp, tmp_path: Path
) -> None:
    assert desktop.observe().elements == ()
    agent = Agent(desktop, OfflinePolicy(), AgentConfig(max_steps=16), out_dir=tmp_path)
    result = agent.run('type "Ada" into Name, type "北京" into City, check Subscribe and click Submit')
    assert result.success, result.reason
    state = tk_app.wait(lambda s: bool(s["submits"]))
    assert state["submits"][-1] == {"name": "Ada", "city": "北京", "subscribe": True, "level": 0}


def test_workflow_finds_text_by_ocr_and_buttons_by_picture(
    desktop: DesktopEnvironment, tk_app: TkApp, tmp_path: Path
) -> None:
    obs = desktop.observe()
    submit = tk_app.state()["boxes"]["submit"]
    screen_box = Box(
        x0=submit["x"], y0=submit["y"], x1=submit["x"] + submit["w"], y1=submit["y"] + submit["h"]
    )
    crop = box_to_space(screen_box, CoordSpace.IMAGE, obs.geometry)
    obs.screenshot.crop((round(crop.x0), round(crop.y0), round(crop.x1), round(crop.y1))).save(
        tmp_path / "submit.png"
    )
    name = tk_app.state()["boxes"]["name"]
    flow = tmp_path / "flow.yaml"
    flow.write_text(
        f"""
name: pixels
defaults: {{timeout: 5}}
steps:
  - wait_for: Subscribe
  - click: Subscribe
  - click: {{image: submit.png, threshold: 0.85}}
  - extract: {{region: [0, {name["y"] - 8}, {name["x"] - 2}, {name["y"] + name["h"] + 8}]}}
    save_as: label
  - assert: {{visible: {{text: City, exact: true}}}}
""",
        encoding="utf-8",
    )
    result = WorkflowRunner(desktop, out_dir=tmp_path / "runs").run(load_workflow(flow))
    assert result.success, result.run.reason
    state = tk_app.wait(lambda s: bool(s["submits"]))
    assert state["submits"][-1]["subscribe"] is True
    assert result.variables["label"] == "Name"
