"""Reading the desktop from pixels only: the offline policy and a workflow with OCR text and
image targets drive the Tk application, which exposes no elements to the driver."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.desktop import DesktopEnvironment
from screenpilot.environments.geometry import box_to_space
from screenpilot.model.offline.policy import OfflinePolicy
from screenpilot.tools.points import Box, CoordSpace
from screenpilot.workflows.loader import load_workflow
from screenpilot.workflows.run import WorkflowRunner
from tests.environments.desktop.helpers import TkApp, start_tk_app, stop

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


def test_workflow_loop_with_a_popup_observer_on_the_desktop(
    desktop: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path
) -> None:
    app = start_tk_app(child_env, tmp_path, "--seed", "3", "--popup-after", "1", "3")
    try:
        name = app.center("name")
        flow = tmp_path / "loop.yaml"
        flow.write_text(
            f"""
name: names
variables: {{names: [Ada, Grace, Linus]}}
defaults: {{timeout: 5}}
observers:
  - name: notice
    when: {{text: Updates are available}}
    steps:
      - click: {{text: OK, exact: true}}
steps:
  - for_each: ${{names}}
    as: who
    do:
      - type: ${{who}}
        into: {{point: [{name.x:.0f}, {name.y:.0f}]}}
      - click: {{text: Submit, exact: true}}
""",
            encoding="utf-8",
        )
        result = WorkflowRunner(desktop, out_dir=tmp_path / "runs").run(load_workflow(flow))
        assert result.success, result.run.reason
        state = app.wait(lambda s: len(s["submits"]) == 3)
        assert [s["name"] for s in state["submits"]] == ["Ada", "AdaGrace", "AdaGraceLinus"]
        assert state["dialogs_closed"] == 1 and state["dialog"] is None
    finally:
        stop(app.proc)


def test_a_missing_target_on_the_desktop_names_the_step(
    desktop: DesktopEnvironment, tk_app: TkApp, tmp_path: Path
) -> None:
    flow = tmp_path / "missing.yaml"
    flow.write_text(
        "name: missing\nsteps:\n  - click: {text: Export to PDF}\n    timeout: 1\n", encoding="utf-8"
    )
    result = WorkflowRunner(desktop, out_dir=tmp_path / "runs").run(load_workflow(flow))
    assert not result.success
    assert "steps[0]" in result.run.reason and "Export to PDF" in result.run.reason
