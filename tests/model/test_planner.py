"""Planner + grounder on the fake GUI: the listing, the plan format, re-asks, OCR lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation
from screenpilot.model.planner.answer import parse_plan
from screenpilot.model.planner.factory import split_role
from screenpilot.model.planner.listing import listing
from screenpilot.model.planner.ocr_lines import OcrLines
from screenpilot.tools.errors import ConfigError, ModelOutputError
from tests.model.qwen_server import QwenTestServer, Request


def test_the_listing_names_roles_labels_and_states() -> None:
    env = FakeEnvironment()
    text = listing(env.observe())
    env.close()
    assert '[2] textbox "Username"' in text and '[5] checkbox "Remember me" unchecked' in text
    assert '[6] button "Sign in"' in text


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('{"action": "click", "target": "the OK button"}', ("click", "the OK button")),
        ('Thinking...\n{"thought": "t", "action": "key", "keys": "ctrl+a"}', ("key", "")),
        ('{"x": 1} then {"action": "done"}', ("done", "")),
    ],
)
def test_plans_are_read_from_the_first_json_action(answer: str, expected: tuple[str, str]) -> None:
    step = parse_plan(answer)
    assert (step.action, step.target) == expected
    if step.action == "key":
        assert step.keys == ("ctrl", "a")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("I would click it.", "no JSON action"),
        ('{"action": "click"}', '"click" needs "target"'),
        ('{"action": "type", "target": "x"}', '"type" needs "text"'),
        ('{"action": "teleport"}', "invalid action"),
    ],
)
def test_unusable_plans_are_model_output_errors(answer: str, message: str) -> None:
    with pytest.raises(ModelOutputError, match=message) as info:
        parse_plan(answer)
    assert info.value.raw == answer


def test_roles_and_missing_models() -> None:
    assert split_role("Qwen/Qwen3-32B@http://h:8000/v1") == ("Qwen/Qwen3-32B", "http://h:8000/v1")
    assert split_role("offline") == ("offline", None)
    with pytest.raises(ConfigError, match="--planner-endpoint"):
        create("policies", "planner", {"grounder": "offline"})


def test_a_target_the_grounder_cannot_find_goes_back_to_the_planner(tmp_path: Path) -> None:
    env = FakeEnvironment()
    asked: list[str] = []

    def plan(request: Request) -> str:
        said = "\n".join(request.texts("user"))
        asked.append(said)
        if env.state.checked.get("remember"):
            return '{"action": "done"}'
        if len(asked) == 1:
            return '{"action": "click", "target": "the purple unicorn"}'
        return '{"action": "click", "target": "Remember me"}'

    with QwenTestServer(plan, expect_tool=None, expect_image=False) as server:
        policy = create(
            "policies",
            "planner",
            {"planner": f"p@{server.url}", "grounder": "offline", "grounder.ocr": "off"},
        )
        config = AgentConfig(max_steps=4, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05))
        result = Agent(env, policy, config, out_dir=tmp_path).run("Tick remember me")
    env.close()
    assert result.status == "success", result.reason
    assert env.state.checked["remember"] is True
    # the second request carries the first answer and why it could not be used
    assert "'the purple unicorn' was not found on the screen" in asked[1]
    assert len(asked) == 3 and result.usage.calls == 2  # an unusable plan is not a step's call


def test_a_screen_without_elements_is_listed_from_ocr() -> None:
    image = Image.new("RGB", (480, 120), "white")
    font = ImageFont.load_default(size=36)
    ImageDraw.Draw(image).text((20, 40), "Checkout now", fill="black", font=font)
    obs = Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(480, 120),
        capabilities=Capabilities(platform="desktop", actions=frozenset({"click"}), elements=False),
    )
    text = listing(obs, OcrLines()(image))
    assert text.startswith('[1] text "') and "Checkout" in text
    assert listing(obs) == "(nothing readable)"
