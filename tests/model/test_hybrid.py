"""The hybrid policy on the fake GUI: the real offline policy first, a served Qwen3-VL (a real
server on 127.0.0.1) or its grounder only where the offline policy gives up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.hybrid.policy import HybridPolicy
from screenpilot.model.hybrid.segments import segments
from screenpilot.tools.actions import Terminate
from tests.model.oracle import Oracle
from tests.model.qwen_server import QwenTestServer
from tests.model.test_qwen_http import PASSWORD, login_plan

pytestmark = [pytest.mark.model]

MODEL = "Qwen/Qwen3-VL-8B-Instruct"


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (
            'Type "alice" into Username, then click "Sign in".',
            ['Type "alice" into Username', 'click "Sign in".'],
        ),
        (
            "Sign in with the username alice and the password x",
            ["Sign in with the username alice and the password x"],
        ),
        ('Click "A. B". Then press Enter; finally wait', ['Click "A. B".', "press Enter", "wait"]),
        ("用户名输入alice，然后点击登录。", ["用户名输入alice", "点击登录"]),
        ("", [""]),
    ],
)
def test_segments_cut_only_at_sequence_boundaries(task: str, expected: list[str]) -> None:
    assert segments(task) == expected


def run(env: FakeEnvironment, policy: Any, task: str, tmp_path: Path) -> Any:
    config = AgentConfig(max_steps=14, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05))
    agent = Agent(env, policy, config, secrets=SecretStore({"PASSWORD": PASSWORD}), out_dir=tmp_path)
    return agent.run(task)


def test_offline_does_what_it_understands_and_the_model_the_rest(tmp_path: Path) -> None:
    env = FakeEnvironment()
    oracle = Oracle(login_plan(env), (env.app.width, env.app.height))
    with QwenTestServer(oracle) as server:
        policy = create(
            "policies",
            "hybrid",
            {"endpoint": server.url, "model": MODEL, "secrets": "PASSWORD", "offline.ocr": "off"},
        )
        assert isinstance(policy, HybridPolicy)
        task = 'Type "alice" into the Username field. Then get me signed in, the password is a secret.'
        result = run(env, policy, task, tmp_path)
    env.close()
    assert result.status == "success", result.reason
    assert env.state.screen == "dashboard"
    steps = load_run(result.run_dir).steps
    deciders = [s["decided_by"] for s in steps]
    # the first segment without the model; the second (not understood offline) by it
    assert deciders[:2] == ["hybrid/offline", "hybrid/offline"]
    assert set(deciders[2:]) == {f"hybrid/qwen3vl:{MODEL}"}
    # the model got only the segment it was needed for, and was asked once per step it took
    assert len(server.requests) == len(deciders) - 2
    first_turn = server.requests[0].messages[1]["content"]
    assert first_turn[-1]["text"].startswith("get me signed in")
    assert "Type" not in first_turn[-1]["text"]
    assert result.usage.calls == len(server.requests)


def test_a_task_the_offline_policy_understands_needs_no_model(tmp_path: Path) -> None:
    env = FakeEnvironment()
    with QwenTestServer(lambda r: "unused") as server:
        policy = create("policies", "hybrid", {"endpoint": server.url, "model": MODEL, "offline.ocr": "off"})
        task = 'Type "alice" into the Username field, then check "Remember me"'
        result = run(env, policy, task, tmp_path)
    env.close()
    assert result.status == "success", result.reason
    assert server.requests == [] and result.usage.calls == 0
    assert env.state.values["username"] == "alice" and env.state.checked["remember"] is True
    assert {s["decided_by"] for s in load_run(result.run_dir).steps} <= {"hybrid/offline", "hybrid"}


def test_without_a_model_policy_the_grounder_finds_the_target(tmp_path: Path) -> None:
    env = FakeEnvironment()
    sign_in = env.center_of("sign_in")
    oracle = Oracle(
        lambda: ("left_click", {}, sign_in, "That is the button."), (env.app.width, env.app.height)
    )
    env.close()
    env = FakeEnvironment()
    with QwenTestServer(oracle) as server:
        policy = create(
            "policies",
            "hybrid",
            {
                "endpoint": server.url,
                "model": MODEL,
                "fallback": "none",
                "fallback_grounder": "qwen3vl",
                "offline.ocr": "off",
            },
        )
        result = run(env, policy, "Do the needful", tmp_path)
    env.close()
    assert result.status == "success", result.reason
    assert len(server.requests) == 1  # one grounding call
    assert "Do the needful" in str(server.requests[0].messages[-1]["content"])
    deciders = [s["decided_by"] for s in load_run(result.run_dir).steps]
    assert deciders[0] == "hybrid/grounder"
    assert env.state.screen == "login" and env.state.focus is None  # the click submitted the (empty) form


def test_with_nothing_to_fall_back_on_the_offline_failure_ends_the_run() -> None:
    offline = create("policies", "offline", {"ocr": "off"})
    policy = HybridPolicy(offline)
    env = FakeEnvironment()
    decision = policy.predict("Do a barrel roll", env.observe(), ())
    env.close()
    (action,) = decision.actions
    assert isinstance(action, Terminate) and action.status == "failure"
    assert decision.model == "hybrid/offline" and "could not understand" in decision.thought
