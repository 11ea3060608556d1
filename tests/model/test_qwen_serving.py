"""What a served Qwen3-VL receives: sampling per checkpoint kind, token budgets, and the
recovery from a server's per-prompt image limit (a real server on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.backends.base import ChatMessage, ChatRequest
from screenpilot.model.backends.image_limit import too_many_images
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.tools.errors import TooManyImages
from tests.model.oracle import Oracle
from tests.model.qwen_server import QwenTestServer, Reply, Request
from tests.model.test_qwen_http import PASSWORD, login_plan, run_agent

TERMINATE = (
    '<tool_call>\n{"name": "computer_use", "arguments": {"action": "terminate", "status": "success"}}'
    "\n</tool_call>"
)


def one_request(model: str, **options: Any) -> dict[str, Any]:
    """The JSON body the server received for one step of ``model`` with ``options``."""
    with QwenTestServer(lambda r: TERMINATE) as server:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": model, **options})
        env = FakeEnvironment()
        policy.predict("Sign in", env.observe(), ())
        env.close()
    (request,) = server.requests
    return request.body


def test_instruct_checkpoints_sample_with_qwens_published_settings() -> None:
    body = one_request("Qwen/Qwen3-VL-8B-Instruct")
    got = {k: body.get(k) for k in ("temperature", "top_p", "top_k", "presence_penalty", "max_tokens")}
    assert got == {"temperature": 0.7, "top_p": 0.8, "top_k": 20, "presence_penalty": 1.5, "max_tokens": 2048}


def test_thinking_checkpoints_get_their_own_settings_and_room_to_think() -> None:
    body = one_request("Qwen/Qwen3-VL-8B-Thinking")
    got = {k: body.get(k) for k in ("temperature", "top_p", "top_k", "presence_penalty", "max_tokens")}
    assert got == {
        "temperature": 0.6,
        "top_p": 0.95,
        "top_k": 20,
        "presence_penalty": 0.0,
        "max_tokens": 8192,
    }
    # detected from the name, overridable
    assert one_request("my-served-qwen", thinking="true")["max_tokens"] == 8192


def test_greedy_and_overrides() -> None:
    body = one_request("Qwen/Qwen3-VL-8B-Instruct", sampling="greedy", seed="7")
    assert body["temperature"] == 0 and body["seed"] == 7
    assert not {"top_p", "top_k", "presence_penalty"} & set(body)
    body = one_request("Qwen/Qwen3-VL-8B-Instruct", top_k="5", max_tokens="300")
    assert (body["top_k"], body["max_tokens"], body["top_p"]) == (5, 300, 0.8)
    # OpenAI's own API rejects unknown fields: top_k is not sent there
    assert "top_k" not in one_request("Qwen/Qwen3-VL-8B-Instruct", server="openai")


VLLM_MESSAGES = [
    ("At most 3 image(s) may be provided in one request.", 3),
    (
        "You set image=3 (or defaulted to 1) in `--limit-mm-per-prompt`, "
        "but passed 5 image items in the same prompt.",
        3,
    ),
    (
        "You set or defaulted to '{\"image\": 3}' in `--limit-mm-per-prompt`, "
        "but passed 5 image items in the same prompt.",
        3,
    ),
]


@pytest.mark.parametrize(("message", "limit"), VLLM_MESSAGES)
def test_vllm_image_limit_refusals_are_recognised(message: str, limit: int) -> None:
    error = too_many_images(400, message, sent=5)
    assert isinstance(error, TooManyImages) and error.limit == limit and error.sent == 5
    assert too_many_images(400, "prompt is too long", sent=5) is None
    assert too_many_images(500, message, sent=5) is None


class LimitedServer:
    """A responder that enforces vLLM's ``--limit-mm-per-prompt image=N``."""

    def __init__(self, inner: Oracle, limit: int) -> None:
        self.inner = inner
        self.limit = limit
        self.refused = 0

    def __call__(self, request: Request) -> Reply | str:
        if len(request.images) > self.limit:
            self.refused += 1
            text = f"At most {self.limit} image(s) may be provided in one request."
            return Reply(status=400, content=text)
        return self.inner(request)


def test_a_server_image_limit_lowers_the_history_instead_of_ending_the_run(tmp_path: Path) -> None:
    env = FakeEnvironment()
    responder = LimitedServer(Oracle(login_plan(env), (env.app.width, env.app.height)), limit=3)
    with QwenTestServer(responder) as server:
        policy = create(
            "policies",
            "qwen3vl",
            {
                "endpoint": server.url,
                "model": "Qwen/Qwen3-VL-8B-Instruct",
                "secrets": "PASSWORD",
                "retries": 0,
            },
        )
        assert isinstance(policy, QwenPolicy) and policy.history_images == 4
        result = run_agent(env, policy, tmp_path)
    env.close()
    assert result.status == "success", result.reason
    assert responder.refused == 1  # refused once, then every prompt fit
    assert policy.history_images == 2  # the current screenshot plus two earlier ones
    assert max(len(r.images) for r in server.requests if r.body) <= 4
    accepted = [r for r in server.requests if len(r.images) <= 3]
    assert len(accepted) == len(server.requests) - 1
    notices = [e for e in load_run(result.run_dir).events if e["type"] == "policy_notice"]
    assert len(notices) == 1 and "replaying 2 earlier screenshot(s)" in notices[0]["message"]
    assert env.state.values["password"] == PASSWORD


def test_no_history_left_to_drop_surfaces_the_refusal() -> None:
    with QwenTestServer(
        lambda r: Reply(status=400, content="At most 0 image(s) may be provided in one request.")
    ) as server:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "Qwen/Qwen3-VL-8B-Instruct"})
        env = FakeEnvironment()
        with pytest.raises(TooManyImages):
            policy.predict("Sign in", env.observe(), ())
        env.close()
    assert len(server.requests) == 1


def test_requests_carry_every_sampling_field_the_backend_knows() -> None:
    request = ChatRequest(
        messages=(ChatMessage.text("user", "hi"),), temperature=0.5, top_k=3, repetition_penalty=1.1
    )
    assert request.top_k == 3 and request.repetition_penalty == 1.1 and request.seed is None
