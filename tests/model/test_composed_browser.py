"""UI-TARS and planner + grounder sign in on a real page in Chromium, against scripted
OpenAI-compatible servers on 127.0.0.1 that answer from the page's ground truth."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.driver import shared_browser
from tests.model.qwen_server import QwenTestServer, Request
from tests.model.test_qwen_browser import _TRUTH, PASSWORD, TruthRecorder, pages  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TARGETS = {"username": "user", "password": "pw", "sign in": "go"}


@pytest.fixture(scope="module", autouse=True)
def _one_chromium() -> Iterator[None]:
    with shared_browser(BrowserConfig(executable_path="/usr/bin/chromium")):
        yield


def signin_env(pages: str) -> tuple[BrowserEnvironment, TruthRecorder]:  # noqa: F811
    env = BrowserEnvironment(
        BrowserConfig(
            executable_path="/usr/bin/chromium", start_url=f"{pages}/signin.html", settle_quiet_s=0.05
        )
    )
    return env, TruthRecorder(env, _TRUTH, {})


def run(rec: TruthRecorder, policy: Any, tmp_path: Path) -> Any:
    config = AgentConfig(max_steps=10, retry=RetryConfig(base_s=0.01, max_s=0.05))
    return Agent(rec, policy, config, secrets=SecretStore({"PASSWORD": PASSWORD}), out_dir=tmp_path).run(
        "Sign in as alice"
    )


def text_of(request: Request) -> str:
    return "\n".join(request.texts("user"))


class TarsOracle:
    """Answers as UI-TARS-1.5 does: a thought, then one action, points in pixels of the image."""

    def __init__(self, rec: TruthRecorder) -> None:
        self.rec = rec

    def __call__(self, request: Request) -> str:
        t = self.rec.truth
        w, h = request.images[-1].size

        def box(name: str) -> str:
            x, y = t["boxes"][name]
            return f"start_box='({round(x / 1280 * w)},{round(y / 800 * h)})'"

        if t["signedIn"]:
            return "Thought: I am signed in.\nAction: finished(content='')"
        for field, value in (("user", "alice"), ("pw", "{{secret:PASSWORD}}")):
            want = "alice" if field == "user" else PASSWORD
            if t[field] != want:
                if t["focus"] != field:
                    return f"Thought: Focus the {field} field.\nAction: click({box(field)})"
                return f"Thought: Type it.\nAction: type(content='{value}')"
        return f"Thought: Submit.\nAction: click({box('go')})"


def test_ui_tars_signs_in(pages: str, tmp_path: Path) -> None:  # noqa: F811
    env, rec = signin_env(pages)
    try:
        with QwenTestServer(TarsOracle(rec), expect_tool=None, expect_size=lambda: (1288, 812)) as server:
            policy = create(
                "policies",
                "uitars",
                {"endpoint": server.url, "model": "UI-TARS-1.5-7B", "secrets": "PASSWORD"},
            )
            result = run(rec, policy, tmp_path)
            clicks = env.evaluate("window.clicks")
    finally:
        env.close()
    assert server.errors == []
    assert result.status == "success", result.reason
    assert [c[2] for c in clicks] == ["user", "pw", "go"]
    assert "## Action Space" in text_of(server.requests[0])
    # later requests replay earlier answers with box tokens
    assert "<|box_start|>" in json.dumps(server.requests[-1].body["messages"])
    assert all(PASSWORD not in str(r.body) for r in server.requests)


def planner(rec: TruthRecorder) -> Any:
    def answer(request: Request) -> str:
        t = rec.truth
        assert "Screen:" in text_of(request)
        if t["signedIn"]:
            return '{"thought": "Signed in.", "action": "done"}'
        if t["user"] != "alice":
            return (
                '{"thought": "Name first.", "action": "type", "target": "the Username field", '
                '"text": "alice"}'
            )
        if t["pw"] != PASSWORD:
            return (
                '{"thought": "Then the password.", "action": "type", "target": "the Password field", '
                '"text": "{{secret:PASSWORD}}"}'
            )
        return 'I will submit.\n{"thought": "Submit.", "action": "click", "target": "the Sign in button"}'

    return answer


def qwen_grounder(rec: TruthRecorder) -> Any:
    def answer(request: Request) -> str:
        said = re.search(r"Description: (.*)", text_of(request))
        assert said is not None
        name = next(v for k, v in TARGETS.items() if k in said.group(1).lower())
        x, y = rec.truth["boxes"][name]
        args = {"action": "left_click", "coordinate": [round(x / 1280 * 1000), round(y / 800 * 1000)]}
        return "<tool_call>\n" + json.dumps({"name": "computer_use", "arguments": args}) + "\n</tool_call>"

    return answer


@pytest.mark.parametrize("grounding", ["qwen3vl", "offline"])
def test_planner_and_grounder_sign_in(grounding: str, pages: str, tmp_path: Path) -> None:  # noqa: F811
    env, rec = signin_env(pages)
    try:
        with (
            QwenTestServer(planner(rec), expect_tool=None, expect_image=False) as plan_server,
            QwenTestServer(qwen_grounder(rec)) as ground_server,
        ):
            options: dict[str, Any] = {"planner": f"my-planner@{plan_server.url}", "secrets": "PASSWORD"}
            if grounding == "qwen3vl":
                options |= {
                    "grounder_endpoint": ground_server.url,
                    "grounder_model": "Qwen/Qwen3-VL-8B-Instruct",
                }
            else:
                options |= {"grounder": "offline", "grounder.ocr": "off"}
            policy = create("policies", "planner", options)
            result = run(rec, policy, tmp_path)
            clicks = env.evaluate("window.clicks")
    finally:
        env.close()
    assert plan_server.errors == [] and ground_server.errors == []
    assert result.status == "success", result.reason
    assert [c[2] for c in clicks] == ["user", "pw", "go"]
    # the planner saw the element listing, never the screenshot (a text-only model)
    assert all(not r.images for r in plan_server.requests)
    assert 'textbox "Username"' in text_of(plan_server.requests[0]) or '"Username"' in text_of(
        plan_server.requests[0]
    )
    assert len(ground_server.requests) == (3 if grounding == "qwen3vl" else 0)
    calls = 4 + (3 if grounding == "qwen3vl" else 0)  # 4 plans (+ 3 groundings)
    assert result.usage.calls == calls
    assert all(PASSWORD not in str(r.body) for r in plan_server.requests + ground_server.requests)
    assert {s["decided_by"] for s in load_run(result.run_dir).steps} == {"my-planner"}
