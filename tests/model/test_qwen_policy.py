"""QwenPolicy over an in-process backend: decisions, usage, history replay, reasoning."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image

from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatRequest, Completion
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.model.types import HistoryStep, Usage
from screenpilot.tools.actions import Click, TypeText
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import CoordSpace, Point


class ListBackend:
    """Answers from a function of the request, recording every request."""

    model_id = "Qwen/Qwen3-VL-4B-Thinking"

    def __init__(self, answer: Callable[[ChatRequest], Completion]) -> None:
        self.answer = answer
        self.requests: list[ChatRequest] = []

    def complete(self, request: ChatRequest) -> Completion:
        self.requests.append(request)
        return self.answer(request)


def obs() -> Observation:
    return Observation(
        screenshot=Image.new("RGB", (1920, 1080), "white"),
        geometry=ScreenGeometry.simple(1920, 1080),
        capabilities=Capabilities(platform="desktop", actions=frozenset({"click", "type"})),
    )


def policy(answer: Callable[[ChatRequest], Completion], **options: object) -> tuple[QwenPolicy, ListBackend]:
    backend = ListBackend(answer)
    config = QwenPromptOptions.model_validate(options).policy_config(backend.model_id)
    return QwenPolicy(backend, config), backend


CLICK = (
    '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [250, 500]}}'
    "\n</tool_call>"
)


def test_decision_usage_and_conventions() -> None:
    p, backend = policy(
        lambda r: Completion(text="<think>left half</think>\n" + CLICK, usage=Usage(input_tokens=7, calls=1))
    )
    assert p.config.max_tokens == 8192  # a Thinking checkpoint gets room to think
    d = p.predict("Click it", obs(), ())
    assert d.actions == (Click(at=Point(x=250, y=500, space=CoordSpace.REL1000)),)
    assert d.thought == "left half"
    assert d.usage.input_tokens == 7 and d.usage.image_tokens == 2040 and d.usage.calls == 1
    assert d.model == "Qwen/Qwen3-VL-4B-Thinking" and d.latency_s >= 0
    assert backend.requests[0].max_tokens == 8192


def test_answer_only_in_reasoning_is_still_read() -> None:
    p, _ = policy(lambda r: Completion(text="", reasoning="I should click.\n" + CLICK))
    assert p.predict("Click it", obs(), ()).actions[0].action == "click"


def test_mapping_errors_carry_the_raw_answer() -> None:
    bad = CLICK.replace("250, 500", "2500, 500")
    p, _ = policy(lambda r: Completion(text=bad))
    with pytest.raises(ModelOutputError, match="outside the screen") as info:
        p.predict("Click it", obs(), ())
    assert info.value.raw == bad


def test_history_answers_are_replayed_without_their_thinking() -> None:
    p, backend = policy(lambda r: Completion(text=CLICK), budget="tiny")
    step = HistoryStep(
        index=0,
        raw="<think>long reasoning</think>\nAction: Click.\n" + CLICK,
        actions=(Click(at=Point(x=1, y=1, space=CoordSpace.REL1000)),),
        screenshot=Image.new("RGB", (1920, 1080)),
    )
    p.predict("t", obs(), (step,))
    replayed = backend.requests[0].messages[2]
    assert replayed.role == "assistant" and "long reasoning" not in replayed.text_content()
    assert replayed.text_content().startswith("Action: Click.")


def test_secret_names_reach_the_prompt_and_map_to_references() -> None:
    typed = '<tool_call>{"name": "computer_use", "arguments": {"action": "type", "text": "{{secret:PIN}}"}}'
    typed += "</tool_call>"
    p, backend = policy(lambda r: Completion(text=typed), secrets="PIN, TOKEN")
    d = p.predict("Unlock", obs(), ())
    assert d.actions == (TypeText(secret="PIN"),)
    assert "Available secrets: PIN, TOKEN." in backend.requests[0].messages[0].text_content()
