"""HTTP-200 answers that are not proper completions: a value or a ModelError, never a crash."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.tools.errors import ModelError, ModelOutputError

WAIT = (
    '<tool_call>{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}'
    "</tool_call>"
)


class RawServer:
    """Answers every POST with the same raw body (status 200, JSON content type)."""

    def __init__(self) -> None:
        self.body = b"{}"
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", "0")))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, format: str, *args: object) -> None:
                """quiet"""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="module")
def policy(raw: RawServer) -> Any:
    return create("policies", "qwen3vl", {"endpoint": raw.url, "model": "m", "retries": 0})


@pytest.fixture(scope="module")
def obs() -> Any:
    return FakeEnvironment().observe()


def _message(**fields: Any) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", **fields}, "finish_reason": "stop"}]}


MALFORMED: list[Any] = [
    {"choices": [{}]},
    {"choices": [None]},
    {"choices": []},
    {"choices": {"0": {}}},
    {"choices": ["text"]},
    {"choices": [{"message": "text"}]},
    {"choices": [{"message": None}]},
    {},
    [],
    "just a string",
    None,
    _message(content=None),
    _message(content=12),
    _message(content=[{"type": "image_url"}]),
    {**_message(content="x"), "usage": {"prompt_tokens": "many", "completion_tokens": -1}},
    {**_message(content="x"), "usage": "lots"},
]


@pytest.mark.parametrize("body", MALFORMED, ids=[json.dumps(b)[:40] for b in MALFORMED])
def test_malformed_answer_is_a_model_error(raw: RawServer, policy: Any, obs: Any, body: Any) -> None:
    raw.body = json.dumps(body).encode()
    with pytest.raises(ModelError):
        policy.predict("t", obs, ())


def test_content_parts_and_odd_usage_are_read(raw: RawServer, policy: Any, obs: Any) -> None:
    parts = [{"type": "text", "text": WAIT[:30]}, {"type": "text", "text": WAIT[30:]}]
    raw.body = json.dumps({**_message(content=parts), "usage": {"prompt_tokens": "many"}}).encode()
    decision = policy.predict("t", obs, ())
    assert decision.actions[0].action == "terminate"
    assert decision.usage.input_tokens == 0


def test_lone_surrogate_in_the_answer_is_recorded(raw: RawServer, policy: Any, tmp_path: Path) -> None:
    """``\\ud800`` cannot be written as UTF-8; the run still records every step and ends."""
    text = "Thought: odd \\ud800 text\\n" + WAIT
    raw.body = (
        '{"choices":[{"message":{"role":"assistant","content":"' + text.replace('"', '\\"') + '"}}]}'
    ).encode()
    env = FakeEnvironment()
    result = Agent(env, policy, AgentConfig(max_steps=2), out_dir=tmp_path).run("t")
    assert result.status == "success", result.reason
    run = load_run(result.run_dir)
    assert "\ufffd" in run.steps[0]["raw"]


def test_unparseable_reply_is_re_asked_not_fatal(raw: RawServer, policy: Any, tmp_path: Path) -> None:
    raw.body = json.dumps({"choices": [None]}).encode()
    config = AgentConfig(max_steps=1, max_output_retries=1, max_consecutive_failures=1)
    result = Agent(FakeEnvironment(), policy, config, out_dir=tmp_path).run("t")
    assert result.status == "error"
    assert "consecutive failed steps" in result.reason
    events = load_run(result.run_dir).events
    assert [e["type"] for e in events].count("invalid_output") == 2
    assert isinstance(ModelOutputError("x"), ModelError)
