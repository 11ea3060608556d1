"""UI-TARS: the published prompt and answers (golden/reference/), mapping, and no Qwen code.

Sources: bytedance/UI-TARS @ 582f3a7ea5d285ee8ed9e2e84048d1ab01453c49 —
data/test_messages_single_image.json (the prompt), README_deploy.md, README_coordinates.md,
README.md, codes/tests/action_parser_test.py and data/training_example.json (answers).
"""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.agent.registry import create
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry, convert
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ImagePart
from screenpilot.model.coords import CoordConvention
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.model.uitars.actions import TarsContext, to_actions
from screenpilot.model.uitars.factory import UITarsOptions, version_of
from screenpilot.model.uitars.parser import parse_answer
from screenpilot.model.uitars.prompt import TarsPromptBuilder, with_box_tokens
from screenpilot.tools.actions import (
    Answer,
    Click,
    Drag,
    KeyPress,
    LongPress,
    MouseButton,
    Scroll,
    ScrollDirection,
    Swipe,
    SystemButton,
    SystemButtonName,
    Terminate,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import CoordSpace

REF = Path(__file__).parent / "golden" / "reference"
DESKTOP = Capabilities(platform="desktop", actions=frozenset({"click", "type", "key", "scroll"}))
PHONE = Capabilities(platform="android", actions=frozenset({"click", "swipe"}), input="touch")


def observation(size: tuple[int, int] = (1920, 1080), caps: Capabilities = DESKTOP) -> Observation:
    return Observation(
        screenshot=Image.new("RGB", size, "white"), geometry=ScreenGeometry.simple(*size), capabilities=caps
    )


def builder(**options: object) -> TarsPromptBuilder:
    opts = UITarsOptions.model_validate(
        {"endpoint": "http://127.0.0.1:1/v1", "model": "UI-TARS-1.5-7B", **options}
    )
    return TarsPromptBuilder(opts.config().prompt)


def test_the_prompt_is_the_published_example() -> None:
    prompt = builder(language="Chinese").build(
        "Could you help me set the image to Palette-Based?", observation()
    )
    system, text, image = prompt.messages
    assert system.text_content() == "You are a helpful assistant."  # what Qwen2.5-VL's template adds
    assert text.role == "user" and text.text_content() == (REF / "uitars15_computer_prompt.txt").read_text()
    assert image.role == "user" and [type(p) for p in image.parts] == [ImagePart]
    # UI-TARS's smart_resize: factor 28, 100 to 16,384 tokens
    assert image.parts[0].size == (1932, 1092)  # type: ignore[union-attr]
    assert prompt.mapper.convention is CoordConvention.IMAGE


@pytest.mark.parametrize(
    "example", json.loads((REF / "uitars_answers.json").read_text()), ids=lambda e: e["source"][:40]
)
def test_published_answers_land_where_ui_tars_puts_them(example: dict[str, object]) -> None:
    obs = observation(tuple(example["screen"]))  # type: ignore[arg-type]
    prompt = builder().build("t", obs)
    answer = parse_answer(example["answer"])
    (action,) = to_actions(answer.calls, TarsContext(mapper=prompt.mapper))
    assert isinstance(action, Click) and action.button is MouseButton.LEFT
    px = convert(action.at, CoordSpace.IMAGE, obs.geometry)
    assert [math.floor(px.x + 1e-9), math.floor(px.y + 1e-9)] == example["pixel_floor"]


def test_thought_and_several_actions() -> None:
    text = "Thought: Type and submit.\nAction: click(start_box='(10,20)')\n\ntype(content='it\\'s \"ok\"\\n')"
    answer = parse_answer(text)
    assert answer.thought == "Type and submit."
    assert [c.name for c in answer.calls] == ["click", "type"]
    assert answer.calls[1].args["content"] == 'it\'s "ok"\n'
    reflected = parse_answer("Reflection: missed.\nAction_Summary: retry.\nAction: wait()")
    assert (reflected.reflection, reflected.thought) == ("missed.", "retry.")


M = TarsContext(mapper=builder().build("t", observation()).mapper, secrets=("PIN",))


def px(x: float, y: float) -> object:
    return M.mapper.point([x, y])


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("left_double(start_box='(100,100)')", [Click(at=px(100, 100), count=2)]),
        ("right_single(start_box='(1,2)')", [Click(at=px(1, 2), button=MouseButton.RIGHT)]),
        ("click(start_box='(10,10,30,50)')", [Click(at=px(20, 30))]),
        ("drag(start_box='(1,1)', end_box='(5,5)')", [Drag(path=(px(1, 1), px(5, 5)))]),  # type: ignore[arg-type]
        ("hotkey(key='ctrl c')", [KeyPress(keys=("ctrl", "c"))]),
        ("hotkey(key='arrowdown')", [KeyPress(keys=("down",))]),
        ("type(content='hello\\n')", [TypeText(text="hello"), KeyPress(keys=("enter",))]),
        ("type(content='{{secret:PIN}}')", [TypeText(secret="PIN")]),
        (
            "scroll(start_box='(5,5)', direction='down')",
            [Scroll(direction=ScrollDirection.DOWN, amount=5, at=px(5, 5))],
        ),
        ("scroll(direction='up')", [Scroll(direction=ScrollDirection.UP, amount=5)]),
        ("wait()", [Wait(seconds=5)]),
        ("finished(content='42')", [Answer(text="42")]),
        ("finished()", [Terminate(status="success")]),
        ("call_user()", [Terminate(status="failure", reason="the model asked for the user's help")]),
        ("long_press(start_box='(3,4)', time='2')", [LongPress(at=px(3, 4), seconds=2)]),
        ("scroll(start_box='(3,4)', end_box='(3,400)')", [Swipe(start=px(3, 4), end=px(3, 400))]),  # type: ignore[arg-type]
        ("press_home()", [SystemButton(button=SystemButtonName.HOME)]),
        ("press_back()", [SystemButton(button=SystemButtonName.BACK)]),
    ],
)
def test_action_space_mapping(action: str, expected: list[object]) -> None:
    assert list(to_actions(parse_answer("Action: " + action).calls, M)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Thought: only thinking", "no 'Action:'"),
        ("Action: fly(start_box='(1,1)')", "not in the action space"),
        ("Action: click(start_box='(1)')", "a point must be"),
        ("Action: click(start_box='(5000,10)')", "outside the screen"),
        ("Action: click(start_box='(1,1)", None),
        ("Action: type(content='{{secret:NOPE}}')", "no secret named 'NOPE'"),
        ("Action: click(start_box='(1,1)' extra)", "unexpected text"),
    ],
)
def test_unusable_answers_are_model_output_errors(text: str, message: str | None) -> None:
    try:
        actions = to_actions(parse_answer(text).calls, M)
    except ModelOutputError as e:
        assert message is None or message in str(e)
        return
    assert message is None and actions  # an unclosed call is closed, as the official parser does


def test_history_keeps_every_answer_with_box_tokens_and_the_last_screens() -> None:
    answers = [f"Thought: step {i}\nAction: click(start_box='({i},{i})')" for i in range(6)]
    history = [
        HistoryStep(index=i, raw=a, actions=(Wait(),), screenshot=Image.new("RGB", (1920, 1080)))
        for i, a in enumerate(answers)
    ]
    feedback = (Feedback(kind="action_error", message="nothing there"),)
    prompt = builder(history_images=2).build("t", observation(), history, feedback)
    roles = [m.role for m in prompt.messages]
    # system, instruction, 4 answers alone, then (screen, answer) twice, then the current screen
    assert roles == ["system", "user"] + ["assistant"] * 4 + ["user", "assistant"] * 2 + ["user"]
    assert prompt.messages[2].text_content().endswith("click(start_box='<|box_start|>(0,0)<|box_end|>')")
    assert "The previous action failed: nothing there" in prompt.messages[-1].text_content()
    assert with_box_tokens("drag(start_box='(1, 2)', end_box='(3,4)')") == (
        "drag(start_box='<|box_start|>(1,2)<|box_end|>', end_box='<|box_start|>(3,4)<|box_end|>')"
    )


def test_versions_and_the_registry_entry() -> None:
    assert version_of("ByteDance-Seed/UI-TARS-1.5-7B") == "1.5"
    assert version_of("bytedance-research/UI-TARS-7B-SFT") == "1.0"
    policy = create("policies", "uitars", {"endpoint": "http://127.0.0.1:1/v1", "model": "UI-TARS-72B-DPO"})
    assert policy.config.prompt.coords is CoordConvention.REL1000  # type: ignore[attr-defined]
    mobile = builder().build("Open settings", observation((1080, 2400), PHONE))
    assert "press_home()" in mobile.messages[1].text_content() and mobile.touch


def test_the_family_reuses_the_neutral_modules_and_no_qwen_code() -> None:
    root = Path(__file__).parents[2] / "model" / "uitars"
    imported: set[str] = set()
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert not [m for m in imported if m.startswith("screenpilot.model.qwen")]
    assert {
        "screenpilot.model.coords",
        "screenpilot.model.imaging",
        "screenpilot.model.http_options",
    } <= imported
