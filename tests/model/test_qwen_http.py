"""The agent, the qwen3vl policy and a real OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.model.imaging import only_rounds, resized_size
from screenpilot.model.qwen.imaging import budget
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.tools.errors import ConfigError, ModelTimeout, ModelTransportError
from tests.model.oracle import Move, Oracle
from tests.model.qwen_server import QwenTestServer, Reply

PASSWORD = "wonderland"


def login_plan(env: FakeEnvironment, click: str = "left_click") -> Any:
    """Sign in as alice, typing the password through a secret reference."""

    def plan() -> Move:
        s = env.state
        if s.screen == "dashboard":
            return "terminate", {"status": "success"}, None, "The dashboard is shown, the task is done."
        if s.values["username"] != "alice":
            if s.focus != "username":
                return click, {}, env.center_of("username"), "Focus the username field."
            return "type", {"text": "alice"}, None, "Type the user name."
        if s.values["password"] != PASSWORD:
            if s.focus != "password":
                return click, {}, env.center_of("password"), "Focus the password field."
            return "type", {"text": "{{secret:PASSWORD}}"}, None, "Type the password secret."
        return click, {}, env.center_of("sign_in"), "Submit the form."

    return plan


def expected_size(env: FakeEnvironment, preset: str, factor: int = 32, relative: bool = True) -> Any:
    """The size sent: a relative answer lets the server round the sides itself."""

    def size() -> tuple[int, int]:
        shot = env.geometry.image_size
        if relative and only_rounds(shot, factor, budget(preset)):
            return shot.width, shot.height
        s = resized_size(shot, factor, budget(preset))
        return s.width, s.height

    return size


@pytest.fixture
def fake_env(request: pytest.FixtureRequest) -> Iterator[FakeEnvironment]:
    env = FakeEnvironment(FakeConfig(scale_factor=getattr(request, "param", 1.0)))
    yield env
    env.close()


def run_agent(env: FakeEnvironment, policy: QwenPolicy, tmp_path: Path, **config: Any) -> Any:
    agent = Agent(
        env,
        policy,
        AgentConfig(max_steps=12, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05), **config),
        secrets=SecretStore({"PASSWORD": PASSWORD}),
        out_dir=tmp_path,
    )
    return agent.run("Sign in as alice")


@pytest.mark.parametrize("fake_env", [1.0, 2.0], indirect=True, ids=["dpr1", "dpr2"])
def test_agent_signs_in_through_the_server(fake_env: FakeEnvironment, tmp_path: Path) -> None:
    oracle = Oracle(login_plan(fake_env), (fake_env.app.width, fake_env.app.height), malformed_at=(2,))
    with QwenTestServer(oracle, expect_size=expected_size(fake_env, "large")) as server:
        policy = create(
            "policies",
            "qwen3vl",
            {"endpoint": server.url, "model": "Qwen/Qwen3-VL-8B-Instruct", "secrets": "PASSWORD"},
        )
        result = run_agent(fake_env, policy, tmp_path)
    assert server.errors == []
    assert result.status == "success", result.reason
    assert fake_env.state.screen == "dashboard"
    assert (fake_env.state.values["username"], fake_env.state.values["password"]) == ("alice", PASSWORD)
    # the malformed answer was re-asked with the bad text and the error in the conversation
    reask = server.requests[3]
    assert reask.messages[-2] == {"role": "assistant", "content": oracle.answers[2]}
    assert "could not be used" in reask.messages[-1]["content"]
    # the secret's value never reached the model or the records
    assert all(PASSWORD not in str(r.body) for r in server.requests)
    run = load_run(result.run_dir)
    assert PASSWORD not in (result.run_dir / "events.jsonl").read_text()
    assert run.manifest["model"] == "Qwen/Qwen3-VL-8B-Instruct"
    assert run.manifest["prompt_version"] == "qwen3vl-cookbook/1"
    assert any(e["type"] == "invalid_output" for e in run.events)
    thoughts = [s["thought"] for s in run.steps]
    assert "Focus the username field." in thoughts and "Type the user name." in thoughts
    assert result.usage.input_tokens > 0 and result.usage.image_tokens > 0
    # history: later requests replay earlier screenshots (at most 4 plus the current one)
    assert max(len(r.images) for r in server.requests) == 5


@pytest.mark.parametrize("fake_env", [2.0], indirect=True, ids=["dpr2"])
def test_image_pixel_convention_of_qwen25(fake_env: FakeEnvironment, tmp_path: Path) -> None:
    oracle = Oracle(login_plan(fake_env), (fake_env.app.width, fake_env.app.height), convention="image")
    expect = expected_size(fake_env, "medium", factor=28, relative=False)
    with QwenTestServer(oracle, expect_size=expect) as server:
        policy = create(
            "policies",
            "qwen3vl",
            {
                "endpoint": server.url,
                "model": "served-name",
                "checkpoint": "Qwen/Qwen2.5-VL-7B-Instruct",
                "budget": "medium",
                "secrets": "PASSWORD",
                "history_images": 1,
            },
        )
        result = run_agent(fake_env, policy, tmp_path)
    assert server.errors == []
    assert result.status == "success", result.reason
    w, h = server.requests[0].images[-1].size
    assert f"The screen's resolution is {w}x{h}." in server.requests[0].system
    assert max(len(r.images) for r in server.requests) == 2


def test_rate_limit_is_retried_honouring_retry_after(fake_env: FakeEnvironment, tmp_path: Path) -> None:
    oracle = Oracle(
        login_plan(fake_env),
        (fake_env.app.width, fake_env.app.height),
        status_at={0: (429, {"Retry-After": "0"}), 1: (503, {})},
    )
    with QwenTestServer(oracle) as server:
        policy = create(
            "policies", "qwen3vl", {"endpoint": server.url, "model": "m", "secrets": "PASSWORD", "retries": 2}
        )
        result = run_agent(fake_env, policy, tmp_path)
    assert result.status == "success"
    run = load_run(result.run_dir)
    assert run.steps[0]["transport_retries"] == 0  # the backend absorbed both failures


def test_transport_errors_surface_after_retries(tmp_path: Path) -> None:
    with QwenTestServer(lambda r: Reply(status=429, headers={"Retry-After": "3600"})) as server:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "m", "retries": 3})
        env = FakeEnvironment()
        with pytest.raises(ModelTransportError) as info:
            policy.predict("t", env.observe(), ())
        # a Retry-After longer than the backoff cap is handed to the agent at once
        assert info.value.retry_after == pytest.approx(3600)
        assert len(server.requests) == 1
    closed = create("policies", "qwen3vl", {"endpoint": server.url, "model": "m", "retries": 0})
    with pytest.raises(ModelTransportError):
        closed.predict("t", env.observe(), ())


def test_timeouts_and_config_errors(tmp_path: Path) -> None:
    import time

    def slow(r: Any) -> Reply:
        time.sleep(1.0)
        return Reply(content="late")

    env = FakeEnvironment()
    with QwenTestServer(slow) as server:
        policy = create(
            "policies", "qwen3vl", {"endpoint": server.url, "model": "m", "timeout_s": 0.2, "retries": 0}
        )
        with pytest.raises(ModelTimeout):
            policy.predict("t", env.observe(), ())
    with QwenTestServer(lambda r: Reply(status=401, content="bad key")) as server:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "m"})
        with pytest.raises(ConfigError, match="401"):
            policy.predict("t", env.observe(), ())
    with pytest.raises(ConfigError, match="bad options for the qwen3vl policy"):
        create("policies", "qwen3vl", {"endpoint": "http://x/v1"})


def test_dashscope_extras_are_sent() -> None:
    env = FakeEnvironment()
    with QwenTestServer(
        lambda r: '<tool_call>{"name": "computer_use", "arguments": {"action": "wait"}}</tool_call>'
    ) as server:
        policy = create(
            "policies",
            "qwen3vl",
            {
                "endpoint": server.url,
                "model": "qwen3-vl-plus",
                "server": "dashscope",
                "extras": '{"top_k": 1}',
            },
        )
        decision = policy.predict("t", env.observe(), ())
    assert decision.actions[0].action == "wait"
    body = server.requests[0].body
    assert body["vl_high_resolution_images"] is True and body["top_k"] == 1
    assert body["messages"][1]["content"][0]["image_url"]["url"].startswith("data:image/png;base64,")


def test_mobile_use_with_the_999_convention(fake_env: FakeEnvironment, tmp_path: Path) -> None:
    oracle = Oracle(
        login_plan(fake_env, click="click"),
        (fake_env.app.width, fake_env.app.height),
        convention="rel999",
        tool="mobile_use",
    )
    with QwenTestServer(oracle, expect_tool="mobile_use") as server:
        policy = create(
            "policies",
            "qwen3vl",
            {
                "endpoint": server.url,
                "model": "m",
                "tool": "mobile_use",
                "coords": "rel999",
                "secrets": "PASSWORD",
            },
        )
        result = run_agent(fake_env, policy, tmp_path)
    assert server.errors == []
    assert result.status == "success", result.reason
    assert "The screen's resolution is 999x999." in server.requests[0].system
    assert server.requests[-1].texts("user")[0].startswith("The user query: Sign in as alice")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: retry now
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header_forms(headers: dict[str, str], expected: float | None) -> None:
    from screenpilot.model.backends.openai_http import retry_after_seconds

    assert retry_after_seconds(headers) == expected


def test_unreadable_answers_are_transport_errors() -> None:
    import http.server
    import threading

    class Html(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            body = b"<html>gateway says hi</html>"
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """quiet"""

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        policy = create("policies", "qwen3vl", {"endpoint": url, "model": "m", "retries": 0})
        with pytest.raises(ModelTransportError):
            policy.predict("t", FakeEnvironment().observe(), ())
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_an_sdk_without_raw_content_gets_the_same_body_as_a_dict() -> None:
    """The dict route of the backend (an SDK whose ``post`` takes no raw bytes) sends what
    the spliced JSON route sends: the extras at the top level, the screenshot as a data URL."""
    env = FakeEnvironment()
    options = {"model": "qwen3-vl-plus", "server": "dashscope", "extras": '{"top_k": 1}'}
    bodies = []
    with QwenTestServer(
        lambda r: '<tool_call>{"name": "computer_use", "arguments": {"action": "wait"}}</tool_call>'
    ) as server:
        for raw in (True, False):
            policy = create("policies", "qwen3vl", {"endpoint": server.url, **options})
            policy.backend._post_content = raw
            assert policy.predict("t", env.observe(), ()).actions[0].action == "wait"
        bodies = [request.body for request in server.requests]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert bodies[1]["vl_high_resolution_images"] is True and bodies[1]["top_k"] == 1
    assert "extra_body" not in bodies[1]
