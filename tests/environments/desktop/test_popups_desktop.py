"""A modal "Rate this app" dialog on a real X server: the popup handler reads it (OCR of the
dialog window), clicks "Not now" (never "Rate now") as a recorded step, and the task then
completes with the offline policy and with a scripted policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.popups import PopupHandler
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report.episode import render_episode
from screenpilot.environments.desktop import DesktopEnvironment
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click, Terminate
from tests.environments.desktop.helpers import TkApp, start_tk_app, stop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


@pytest.fixture
def rating_app(child_env: dict[str, str], tmp_path: Path) -> Iterator[TkApp]:
    app = start_tk_app(child_env, tmp_path, "--rate-prompt")
    app.wait(lambda s: s["rate_prompt"] is not None)
    yield app
    stop(app.proc)


def _dismissals(run_dir: Path) -> list[dict[str, str]]:
    return [e["popup"] for e in load_run(run_dir).steps if e.get("popup")]


def test_the_modal_is_dismissed_and_the_offline_policy_submits(
    desktop: DesktopEnvironment, rating_app: TkApp, tmp_path: Path
) -> None:
    policy = create("policies", "offline", {})
    agent = Agent(desktop, policy, AgentConfig(max_steps=6), out_dir=tmp_path, popups=PopupHandler())
    result = agent.run('click "Submit"')
    assert result.status == "success", result.reason
    state = rating_app.wait(lambda s: len(s["submits"]) == 1)
    assert state["rate_prompt"] is None and state["rated"] is False  # "Not now", never "Rate now"
    assert result.run_dir is not None
    popups = _dismissals(result.run_dir)
    assert [p["rule"] for p in popups] == ["later-prompts"] and popups[0]["label"].casefold() == "not now"
    assert "Popup dismissed" in render_episode(result.run_dir)


def test_a_scripted_policy_submits_behind_the_dismissed_modal(
    desktop: DesktopEnvironment, rating_app: TkApp, tmp_path: Path
) -> None:
    script = ScriptedPolicy([Click(at=rating_app.center("submit")), Terminate(status="success")])
    agent = Agent(desktop, script, AgentConfig(max_steps=4), out_dir=tmp_path, popups=PopupHandler())
    result = agent.run("submit the form")
    assert result.status == "success", result.reason
    assert rating_app.wait(lambda s: len(s["submits"]) == 1)["rated"] is False
    assert result.run_dir is not None and len(_dismissals(result.run_dir)) == 1
    # the policy heard about the dismissal before it acted
    assert any(f.kind == "popup" for f in script.calls[0][1])
    # what each click hit and changed, measured on the X server
    dismiss, submit = (e["outcomes"][0]["effect"] for e in load_run(result.run_dir).steps[:2])
    assert dismiss["hit"]["layer"] == "dialog window"
    assert any(c["kind"] == "window" and "'Rate this app' closed" in c["detail"] for c in dismiss["changes"])
    assert submit["hit"]["element"].startswith("window") and submit["screen"]["local"] is not None
