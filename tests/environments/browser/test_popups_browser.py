"""Popups and overlays on real pages in Chromium: a cookie wall, a newsletter modal that
opens a second after load, a sticky consent bar over a button, a Chinese overlay and a
consent dialog in a same-origin iframe. The popup handler dismisses each before the policy
is asked, as a recorded step; the task then completes (the page's own ``window.done``)
with the offline policy and with a scripted policy. An overlay no rule may dismiss ends
the run in failure naming the covering element."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.popups import PopupHandler
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report.episode import render_episode
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Policy
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate, Wait
from screenpilot.workflows import WorkflowRunner, load_workflow
from tests.environments.browser.conftest import make_env
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CASES = [
    # page, the offline task, the element the task is about, the rule that dismisses the popup
    ("cookie_wall.html", 'click "Download report"', "report", "cookie-consent"),
    ("newsletter_late.html", 'wait 1.5 seconds, then click "Read more"', "more", "newsletter-signup"),
    ("consent_bar.html", 'click "Save settings"', "save", "cookie-consent"),
    ("consent_zh.html", '点击"下载报告"', "report", "cookie-consent"),
    ("iframe_consent.html", 'click "Open an account"', "open", "cookie-consent"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserEnvironment]:
    env = make_env()
    env.reset()
    yield env
    env.close()


@pytest.fixture(scope="module")
def offline() -> Policy:
    policy: Policy = create("policies", "offline", {})
    return policy


def scripted(target_id: str, *, wait_s: float = 0.0) -> FunctionPolicy:
    """A scripted model: waits if told to, clicks the element with DOM id ``target_id`` where
    the screen shows it (again while clicks fail), and stops once a click had an effect."""

    def decide(
        task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action:
        acted = [a for h in history for a in h.actions]
        if wait_s and not acted:
            return Wait(seconds=wait_s)
        if any(f.kind == "effect" for f in feedback) and isinstance(acted[-1], Click):
            return Terminate(status="success")  # the click landed and did something
        target = next(e for e in obs.elements if e.attributes.get("id") == target_id)
        return Click(at=target.box.center)

    return FunctionPolicy(decide, name="scripted-model")


def run(env: BrowserEnvironment, server: PageServer, page: str, policy: Policy, task: str, tmp: Path) -> Path:
    env.goto(server.url(f"popups/{page}"))
    agent = Agent(env, policy, AgentConfig(max_steps=8), out_dir=tmp, popups=PopupHandler())
    result = agent.run(task, reset=False)
    assert result.status == "success", result.reason
    assert env.evaluate("window.done === true"), "the page's task was not done"
    assert result.run_dir is not None
    return result.run_dir


def popup_rules(run_dir: Path) -> list[str]:
    return [e["popup"]["rule"] for e in load_run(run_dir).steps if e.get("popup")]


@pytest.mark.parametrize(("page", "task", "target", "rule"), CASES, ids=[c[0] for c in CASES])
def test_offline_policy_completes_behind_the_popup(
    browser: BrowserEnvironment,
    server: PageServer,
    offline: Policy,
    tmp_path: Path,
    page: str,
    task: str,
    target: str,
    rule: str,
) -> None:
    run_dir = run(browser, server, page, offline, task, tmp_path)
    assert popup_rules(run_dir) == [rule]
    assert "Popup dismissed" in render_episode(run_dir)


@pytest.mark.parametrize(("page", "task", "target", "rule"), CASES, ids=[c[0] for c in CASES])
def test_scripted_policy_completes_behind_the_popup(
    browser: BrowserEnvironment,
    server: PageServer,
    tmp_path: Path,
    page: str,
    task: str,
    target: str,
    rule: str,
) -> None:
    policy = scripted(target, wait_s=1.5 if "wait" in task else 0.0)
    run_dir = run(browser, server, page, policy, "do the task", tmp_path)
    assert popup_rules(run_dir) == [rule]
    assert browser.evaluate("window.subscribed === undefined")  # "Subscribe" is never clicked


def test_an_overlay_no_rule_dismisses_fails_naming_the_cover(
    browser: BrowserEnvironment, server: PageServer, offline: Policy, tmp_path: Path
) -> None:
    browser.goto(server.url("popups/paywall.html"))
    agent = Agent(browser, offline, AgentConfig(max_steps=8), out_dir=tmp_path, popups=PopupHandler())
    result = agent.run('click "Download report"', reset=False)
    assert result.status == "failure"
    assert "div#paywall" in result.reason and "covers link 'Download report'" in result.reason
    assert browser.evaluate("window.done === undefined && window.subscribed === undefined")
    assert result.run_dir is not None
    steps = load_run(result.run_dir).steps
    assert not any(e.get("popup") for e in steps)
    failed = [o for e in steps for o in e["outcomes"] if not o["ok"]]
    assert failed and all(o["error_type"] == "TargetCovered" for o in failed)
    assert failed[0]["effect"]["hit"]["covered"] is True


def test_the_same_overlay_stops_a_model_policy_too(
    browser: BrowserEnvironment, server: PageServer, tmp_path: Path
) -> None:
    browser.goto(server.url("popups/paywall.html"))
    policy = scripted("report")
    config = AgentConfig(max_steps=8, max_consecutive_failures=2)
    result = Agent(browser, policy, config, out_dir=tmp_path, popups=PopupHandler()).run(
        "get it", reset=False
    )
    assert result.status == "failure"
    assert "consecutive failed steps" in result.reason and "div#paywall" in result.reason


def test_workflow_steps_get_the_popup_handler(
    browser: BrowserEnvironment, server: PageServer, tmp_path: Path
) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(
        f"name: report\nsteps:\n  - navigate: {server.url('popups/cookie_wall.html')}\n"
        "  - click: {text: Download report}\n",
        encoding="utf-8",
    )
    runner = WorkflowRunner(browser, out_dir=tmp_path / "runs", popups=PopupHandler())
    result = runner.run(load_workflow(flow), reset=False)
    assert result.success, result.run.reason
    assert browser.evaluate("window.done === true && window.consent === 'accept'")
    assert result.run.run_dir is not None
    steps = load_run(result.run.run_dir).steps
    popups = [e for e in steps if e.get("popup")]
    assert [e["workflow"]["kind"] for e in popups] == ["popup"]
    assert popups[0]["popup"]["label"] == "Accept all"
