"""System dialogs on the simulated phone: a runtime permission prompt and "app isn't
responding". The popup handler answers them before the policy is asked ("While using the
app", "Wait", never "Close app"); the task then completes with the offline policy and with
a scripted policy, and each dismissal is a step of the record and the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.popups import PopupHandler, PopupRuleSet, default_rules, load_rules
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report.episode import render_episode
from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate

pytestmark = pytest.mark.android


def _popups(result_dir: Path | None) -> list[dict[str, str]]:
    assert result_dir is not None
    return [e["popup"] for e in load_run(result_dir).steps if e.get("popup")]


def _tap_then_done(label: str, done: str) -> FunctionPolicy:
    """A scripted policy: tap the element labelled ``label`` until ``done`` shows, then stop."""

    def decide(
        task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action:
        if any(done in e.label for e in obs.elements):
            return Terminate(status="success")
        target = next((e for e in obs.elements if e.label == label), None)
        if target is None:
            return Terminate(status="failure", reason=f"no {label!r} on the screen")
        return Click(at=target.box.center)

    return FunctionPolicy(decide)


def test_permission_prompt_is_answered_for_the_offline_policy(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    agent = Agent(
        env,
        create("policies", "offline", {"ocr": "off"}),
        AgentConfig(max_steps=8),
        out_dir=tmp_path,
        popups=PopupHandler(),
    )
    result = agent.run('click "Camera", then click "Take photo"')
    assert result.status == "success", result.reason
    assert sim.device.state.photos == 1 and sim.device.state.permissions == {"camera": "granted"}
    popups = _popups(result.run_dir)
    assert [(p["rule"], p["label"]) for p in popups] == [("android-permission", "While using the app")]
    assert result.run_dir is not None
    effects = {e["index"]: e["outcomes"][0].get("effect") for e in load_run(result.run_dir).steps}
    dismissal = next(effects[e["index"]] for e in load_run(result.run_dir).steps if e.get("popup"))
    kinds = {c["kind"] for c in dismissal["changes"]}
    assert {"activity", "ui", "screen"} <= kinds  # the dialog went: new focus, fewer elements, pixels
    assert result.run_dir is not None and "Popup dismissed" in render_episode(result.run_dir)


def test_permission_prompt_is_answered_for_a_scripted_policy(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    sim.device.launch("com.example.camera")  # the first launch asks for the permission
    policy = _tap_then_done("Take photo", "Photos: 1")
    result = Agent(env, policy, AgentConfig(max_steps=4), out_dir=tmp_path, popups=PopupHandler()).run(
        "take a photo", reset=False
    )
    assert result.status == "success", result.reason
    assert sim.device.state.photos == 1 and sim.device.state.permissions == {"camera": "granted"}
    assert [p["rule"] for p in _popups(result.run_dir)] == ["android-permission"]


def test_a_user_rule_file_denies_permissions_instead(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    rules = tmp_path / "deny.yaml"
    rules.write_text(
        "rules:\n  - name: android-permission\n    platforms: [android]\n"
        '    packages: [com.google.android.permissioncontroller]\n    click: ["don\'t allow"]\n',
        encoding="utf-8",
    )
    sim.device.launch("com.example.camera")
    found = PopupHandler(load_rules([rules])).find(env.observe())
    assert found is not None and found.label == "Don't allow" and found.rule.name == "android-permission"


def test_not_responding_dialog_waits_for_the_offline_policy(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    sim.device.launch("com.example.form")
    sim.device.show_anr_dialog()
    agent = Agent(
        env,
        create("policies", "offline", {"ocr": "off"}),
        AgentConfig(max_steps=8),
        out_dir=tmp_path,
        popups=PopupHandler(),
    )
    result = agent.run('type "Ada" into "Enter your name", then click "Submit"', reset=False)
    assert result.status == "success", result.reason
    assert sim.device.state.submitted == [{"name": "Ada", "message": ""}]  # "Wait", not "Close app"
    assert [p["rule"] for p in _popups(result.run_dir)] == ["android-not-responding"]


def test_not_responding_dialog_waits_for_a_scripted_policy(
    sim: AdbSimulator, env: AndroidEnvironment, tmp_path: Path
) -> None:
    sim.device.launch("com.example.form")
    sim.device.show_anr_dialog()
    policy = _tap_then_done("Submit", "Submitted:")
    result = Agent(env, policy, AgentConfig(max_steps=4), out_dir=tmp_path, popups=PopupHandler()).run(
        "submit the form", reset=False
    )
    assert result.status == "success", result.reason
    assert sim.device.state.submitted == [{"name": "", "message": ""}]
    assert [p["label"] for p in _popups(result.run_dir)] == ["Wait"]


def test_disabled_rules_leave_the_dialog_to_the_policy(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    off = PopupRuleSet(rules=tuple(r.model_copy(update={"enabled": False}) for r in default_rules().rules))
    sim.device.launch("com.example.form")
    sim.device.show_anr_dialog()
    assert PopupHandler(off).find(env.observe()) is None
    found = PopupHandler().find(env.observe())
    assert found is not None and found.label == "Wait" and found.surface.kind == "system dialog"
