"""Rendered prompts: pinned against the official Qwen function-call format and goldens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation, TabInfo
from screenpilot.model.backends.base import ChatMessage, ImagePart
from screenpilot.model.coords import CoordConvention
from screenpilot.model.qwen.imaging import budget
from screenpilot.model.qwen.prompt import PromptBuilder, PromptSettings
from screenpilot.model.qwen.prompt_text import load_prompt_text
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point

GOLDEN = Path(__file__).parent / "golden"

# The hermes-style function-call prompt as the Qwen cookbooks render it (qwen-agent's
# NousFnCallPrompt with a "You are a helpful assistant." system message).
OFFICIAL_HEAD = (
    "You are a helpful assistant.\n\n# Tools\n\n"
    "You may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
)
OFFICIAL_TAIL = (
    "</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n"
    '{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
)


POINTER = frozenset({"click", "type", "key", "scroll", "wait"})
DESKTOP = Capabilities(platform="desktop", actions=POINTER)
BROWSER = Capabilities(platform="browser", actions=POINTER | {"navigate", "back", "new_tab"}, scripting=True)
PHONE = Capabilities(
    platform="android", actions=frozenset({"click", "swipe", "system_button"}), input="touch"
)


def observation(
    width: int = 1280, height: int = 800, caps: Capabilities = DESKTOP, **extra: object
) -> Observation:
    return Observation(
        screenshot=Image.new("RGB", (width, height), "white"),
        geometry=ScreenGeometry.simple(width, height),
        capabilities=caps,
        **extra,  # type: ignore[arg-type]
    )


def builder(**settings: object) -> PromptBuilder:
    base: dict[str, object] = {"budget": budget("large")}
    return PromptBuilder(load_prompt_text(), PromptSettings(**(base | settings)))  # type: ignore[arg-type]


def render(messages: tuple[ChatMessage, ...]) -> str:
    """A readable transcript with images as their size (for golden files)."""
    out = []
    for m in messages:
        body = "".join(
            f"<image {p.size[0]}x{p.size[1]}>" if isinstance(p, ImagePart) else p.text for p in m.parts
        )
        out.append(f"=== {m.role}\n{body}")
    return "\n".join(out) + "\n"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    assert path.read_text(encoding="utf-8") == text, f"{name} changed; bump the template version if intended"


def tools_json(system: str) -> list[dict[str, object]]:
    inner = system.split("<tools>\n", 1)[1].split("\n</tools>", 1)[0]
    return [json.loads(line) for line in inner.splitlines()]


def test_system_turn_follows_the_official_function_call_format() -> None:
    system = builder().system(("computer_use",), Size(width=1000, height=1000)).text_content()
    assert system.startswith(OFFICIAL_HEAD)
    assert OFFICIAL_TAIL in system
    # one JSON object per line, keys in the order qwen-agent writes them
    (tool,) = tools_json(system)
    assert list(tool) == ["type", "function"]
    fn = tool["function"]
    assert isinstance(fn, dict)
    assert list(fn) == ["name_for_human", "name", "description", "parameters", "args_format"]
    assert fn["args_format"] == "Format the arguments as a JSON object."
    assert "* The screen's resolution is 1000x1000." in fn["description"]
    params = fn["parameters"]
    assert list(params) == ["properties", "required", "type"]
    assert params["properties"]["action"]["enum"] == [
        "key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click",
        "double_click", "triple_click", "scroll", "hscroll", "wait", "terminate", "answer",
    ]  # fmt: skip
    # the line is exactly what json.dumps writes (", " and ": " separators, no ASCII escaping)
    line = system.split("<tools>\n", 1)[1].split("\n</tools>", 1)[0]
    assert line == json.dumps(tool, ensure_ascii=False)


def test_mobile_use_matches_the_official_tool() -> None:
    system = (
        builder(coords=CoordConvention.REL999)
        .system(("mobile_use",), Size(width=999, height=999))
        .text_content()
    )
    (tool,) = tools_json(system)
    fn = tool["function"]
    assert isinstance(fn, dict)
    assert "* The screen's resolution is 999x999." in fn["description"]
    props = fn["parameters"]["properties"]
    assert list(props) == ["action", "coordinate", "coordinate2", "text", "time", "button", "status"]
    assert props["button"]["enum"] == ["Back", "Home", "Menu", "Enter"]
    assert props["action"]["enum"] == [
        "key", "click", "long_press", "swipe", "type", "answer", "system_button", "open", "wait", "terminate"
    ]  # fmt: skip


def test_first_step_golden() -> None:
    prompt = builder().build("Sign in as alice", observation())
    assert [m.role for m in prompt.messages] == ["system", "user"]
    assert prompt.model_image == Size(width=1280, height=800)
    check_golden("first_step.txt", render(prompt.messages))


def test_image_convention_announces_the_resized_size() -> None:
    b = builder(coords=CoordConvention.IMAGE, factor=28, budget=budget("full"))
    prompt = b.build("x", observation(1920, 1080))
    assert prompt.model_image == Size(width=1932, height=1092)
    assert "resolution is 1932x1092." in prompt.messages[0].text_content()


def step(i: int, raw: str, shot: bool = True) -> HistoryStep:
    return HistoryStep(
        index=i,
        thought="t",
        actions=(Click(at=Point(x=10 * i, y=10, space=CoordSpace.REL1000)),),
        raw=raw,
        outcome="clicked",
        screenshot=Image.new("RGB", (1280, 800)) if shot else None,
    )


def answer(i: int) -> str:
    return (
        f"Thought: step {i}.\nAction: Click item {i}.\n<tool_call>\n"
        f'{{"name": "computer_use", "arguments": {{"action": "left_click", "coordinate": [{10 * i}, 10]}}}}'
        "\n</tool_call>"
    )


def test_history_older_steps_as_text_recent_with_screenshots_golden() -> None:
    history = [step(i, answer(i), shot=i >= 2) for i in range(6)]
    prompt = builder(history_images=2).build("Do the thing", observation(), history)
    roles = [m.role for m in prompt.messages]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
    first_user = prompt.messages[1].text_content()
    assert "Step 1: Click item 0.\nStep 2: Click item 1." in first_user
    assert "Step 4: Click item 3." in first_user and "Step 5" not in first_user
    assert prompt.messages[2].text_content() == answer(4)
    assert len(prompt.messages[-1].images) == 1
    check_golden("history.txt", render(prompt.messages))


def test_reask_renders_the_bad_answer_and_the_error() -> None:
    feedback = [Feedback(kind="invalid_output", message="no <tool_call> was found", raw="I will click it")]
    prompt = builder().build("Sign in", observation(), (), feedback)
    assert [m.role for m in prompt.messages] == ["system", "user", "assistant", "user"]
    assert prompt.messages[2].text_content() == "I will click it"
    assert "could not be used: no <tool_call> was found" in prompt.messages[3].text_content()
    check_golden("reask.txt", render(prompt.messages))


def test_other_feedback_becomes_notes_in_the_current_turn() -> None:
    history = [step(0, answer(0))]
    feedback = [
        Feedback(kind="action_error", message="click failed: element gone"),
        Feedback(kind="rejected", message="navigation blocked"),
        Feedback(kind="loop", message="You repeat yourself."),
        Feedback(kind="notice", message="a dialog was dismissed"),
    ]
    prompt = builder().build("t", observation(), history, feedback)
    last = prompt.messages[-1].text_content()
    assert "The previous action failed: click failed: element gone" in last
    assert "The previous action was not allowed: navigation blocked" in last
    assert "Warning: You repeat yourself." in last
    assert "Notice: a dialog was dismissed" in last


def test_invalid_step_in_history_is_a_note_not_a_turn() -> None:
    bad = HistoryStep(
        index=1,
        raw="gibberish",
        outcome="ModelOutputError: no tool call",
        screenshot=Image.new("RGB", (8, 8)),
    )
    history = [step(0, answer(0)), bad]
    feedback = [Feedback(kind="invalid_output", message="no tool call", raw="gibberish")]
    prompt = builder().build("t", observation(), history, feedback)
    assert [m.role for m in prompt.messages] == ["system", "user"]
    text = prompt.messages[1].text_content()
    assert "Step 2: (no valid action: ModelOutputError: no tool call)" in text
    assert "could not be used: no tool call" in text


def test_browser_adds_the_browser_tool_and_page_state() -> None:
    obs = observation(
        caps=BROWSER,
        url="https://example.com/a",
        tabs=(TabInfo(index=0, url="https://example.com/a", title="A", active=True),),
    )
    prompt = builder().build("t", obs)
    assert prompt.tools == ("computer_use", "browser_use")
    names = [t["function"]["name"] for t in tools_json(prompt.messages[0].text_content())]  # type: ignore[index]
    assert names == ["computer_use", "browser_use"]
    assert "Current URL: https://example.com/a" in prompt.messages[-1].text_content()
    assert "0: A - https://example.com/a (current)" in prompt.messages[-1].text_content()


@pytest.mark.parametrize(
    ("caps", "tools"),
    [
        # Names a plug-in might use, never seen by the prompt code: only the facts count.
        (
            Capabilities(platform="kiosk", actions=frozenset({"click", "swipe"}), input="touch"),
            ("mobile_use",),
        ),
        (
            Capabilities(platform="webview", actions=POINTER | {"navigate", "switch_tab"}),
            ("computer_use", "browser_use"),
        ),
        # A familiar name with other facts gets the tools of its facts.
        (Capabilities(platform="browser", actions=POINTER), ("computer_use",)),
        (Capabilities(platform="android", actions=POINTER, input="pointer"), ("computer_use",)),
        (Capabilities.of_screenshot("mobile", input="touch"), ("mobile_use",)),
    ],
    ids=["touch-kiosk", "navigating-webview", "browser-without-navigation", "android-with-mouse", "still"],
)
def test_tools_follow_capabilities_not_platform_names(caps: Capabilities, tools: tuple[str, ...]) -> None:
    assert builder().tools_for(observation(caps=caps)) == tools
    assert builder().build("t", observation(caps=caps)).tools == tools


def test_forced_tool_and_disabled_browser_tool_win() -> None:
    assert builder(tool="computer_use").tools_for(observation(caps=PHONE)) == ("computer_use",)
    assert builder(browser_tool=False).tools_for(observation(caps=BROWSER)) == ("computer_use",)


def test_mobile_layout_golden() -> None:
    history = [
        step(
            0,
            '<tool_call>\n{"name": "mobile_use", "arguments": {"action": "open", "text": "Files"}}'
            "\n</tool_call>",
            shot=False,
        )
    ]
    prompt = builder(coords=CoordConvention.REL999).build(
        "Open the music folder", observation(1080, 2400, PHONE), history
    )
    assert prompt.tools == ("mobile_use",)
    text = prompt.messages[-1].text_content()
    assert text.startswith("The user query: Open the music folder\nTask progress")
    assert 'Step 1: {"name": "mobile_use", "arguments": {"action": "open", "text": "Files"}}' in text
    check_golden("mobile.txt", render(prompt.messages))


def test_secrets_are_announced_by_name() -> None:
    system = (
        builder(secrets=("PASSWORD", "PIN"))
        .system(("computer_use",), Size(width=1000, height=1000))
        .text_content()
    )
    assert "{{secret:PASSWORD}}" in system and "Available secrets: PASSWORD, PIN." in system


def test_template_version_is_recorded() -> None:
    assert load_prompt_text().version == "qwen3vl-agent/2"


@pytest.mark.parametrize("tool", ["computer_use", "mobile_use", "browser_use"])
def test_every_tool_signature_is_valid_json_schema_shape(tool: str) -> None:
    fn = load_prompt_text().tool_function(tool, Size(width=1000, height=1000))["function"]  # type: ignore[arg-type]
    assert fn["parameters"]["required"] == ["action"]
    assert all("type" in p or "enum" in p for p in fn["parameters"]["properties"].values())
    assert "$" not in fn["description"]
