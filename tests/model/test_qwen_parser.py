"""The Qwen answer parser and the mapping onto the action space."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.qwen.action_map import MapContext, to_action, to_actions
from screenpilot.model.qwen.parser import ToolCall, parse_response
from screenpilot.tools.actions import (
    Answer,
    Click,
    CloseTab,
    Drag,
    GoBack,
    GoForward,
    KeyPress,
    LongPress,
    MouseButton,
    MouseMove,
    Navigate,
    NewTab,
    OpenApp,
    Scroll,
    ScrollDirection,
    Swipe,
    SwitchTab,
    SystemButton,
    Terminate,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import CoordSpace, Point

GEOM = ScreenGeometry.simple(1280, 800)


def ctx(
    convention: CoordConvention = CoordConvention.REL1000, *, tools=("computer_use",), secrets=()
) -> MapContext:
    mapper = CoordinateMapper(convention, GEOM, Size(width=1280, height=800))
    return MapContext(mapper=mapper, tools=tools, secrets=secrets)


def call(action: str, tool: str = "computer_use", **args: object) -> str:
    payload = {"name": tool, "arguments": {"action": action, **args}}
    return f"<tool_call>\n{json.dumps(payload)}\n</tool_call>"


# -- parsing shapes ------------------------------------------------------------------------


def test_thought_action_and_tool_call() -> None:
    text = "Thought: the field is empty.\nAction: Click the username field.\n" + call(
        "left_click", coordinate=[500, 300]
    )
    parsed = parse_response(text)
    assert parsed.thought == "the field is empty."
    assert parsed.action_text == "Click the username field."
    assert parsed.calls == (
        ToolCall(name="computer_use", arguments={"action": "left_click", "coordinate": [500, 300]}),
    )


def test_no_newlines_and_several_calls() -> None:
    a = '{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 2]}}'
    b = '{"name": "computer_use", "arguments": {"action": "type", "text": "hi"}}'
    parsed = parse_response(f"<tool_call>{a}</tool_call><tool_call>{b}</tool_call>")
    assert [c.arguments["action"] for c in parsed.calls] == ["left_click", "type"]


def test_missing_closing_braces_and_tag_are_repaired() -> None:
    text = (
        '<tool_call>\n{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [10, 20]\n'
    )
    assert parse_response(text).calls[0].arguments["coordinate"] == [10, 20]


def test_trailing_comma_and_code_fence_are_repaired() -> None:
    body = '{"name": "computer_use", "arguments": {"action": "wait", "time": 2,},}'
    text = f"<tool_call>```json\n{body}\n```</tool_call>"
    assert parse_response(text).calls[0].arguments == {"action": "wait", "time": 2}


def test_xml_form() -> None:
    text = (
        "<tool_call>\n<function=computer_use>\n<parameter=action>\nleft_click\n</parameter>\n"
        "<parameter=coordinate>\n[640, 400]\n</parameter>\n</function>\n</tool_call>"
    )
    parsed = parse_response(text)
    assert parsed.calls[0] == ToolCall(
        name="computer_use", arguments={"action": "left_click", "coordinate": [640, 400]}
    )


def test_xml_text_values_stay_strings() -> None:
    text = (
        "<tool_call><function=computer_use><parameter=action>type</parameter><parameter=text>123</parameter>"
    )
    text += "</function></tool_call>"
    # a number-looking text is decoded as a number; the mapper requires a string and says so
    with pytest.raises(ModelOutputError, match='needs a string "text"'):
        to_actions(parse_response(text).calls, ctx())
    text2 = text.replace(">123<", ">hello world<")
    assert to_actions(parse_response(text2).calls, ctx()) == (TypeText(text="hello world"),)


def test_bare_json_line() -> None:
    text = 'Action: tap\n{"name": "mobile_use", "arguments": {"action": "click", "coordinate": [5, 6]}}'
    assert parse_response(text).calls[0].name == "mobile_use"


def test_think_block_and_reasoning_content_become_thought() -> None:
    text = "<think>\nThe button is blue.\n</think>\n" + call("left_click", coordinate=[1, 1])
    assert parse_response(text).thought == "The button is blue."
    only_close = "It is at the top.</think>" + call("left_click", coordinate=[1, 1])
    assert parse_response(only_close).thought == "It is at the top."
    split = parse_response(call("wait", time=1), reasoning="server reasoning")
    assert split.thought == "server reasoning"


def test_tool_call_inside_think_is_not_an_answer() -> None:
    with pytest.raises(ModelOutputError, match="stopped inside <think>"):
        parse_response("<think>maybe " + call("left_click", coordinate=[1, 1]) + " hmm")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("I would click the button.", "no <tool_call>"),
        ("<tool_call></tool_call>", "empty"),
        ("<tool_call>click(100, 200)</tool_call>", "not a JSON object"),
        ("<tool_call>{not json at all}</tool_call>", "not valid JSON"),
        ('<tool_call>{"name": 3, "arguments": {}}</tool_call>', 'string "name"'),
        ("<tool_call><function=computer_use></function></tool_call>", "no <parameter"),
    ],
)
def test_failures_raise_model_output_error_with_raw(text: str, message: str) -> None:
    with pytest.raises(ModelOutputError, match=message) as info:
        parse_response(text)
    assert info.value.raw == text
    assert "tool_call" in str(info.value) or "call" in str(info.value)


# -- mapping -------------------------------------------------------------------------------


def rel(x: float, y: float, space: CoordSpace = CoordSpace.REL1000) -> Point:
    return Point(x=x, y=y, space=space)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"action": "left_click", "coordinate": [10, 20]}, Click(at=rel(10, 20))),
        ({"action": "right_click", "coordinate": [10, 20]}, Click(at=rel(10, 20), button=MouseButton.RIGHT)),
        (
            {"action": "middle_click", "coordinate": [10, 20]},
            Click(at=rel(10, 20), button=MouseButton.MIDDLE),
        ),
        ({"action": "double_click", "coordinate": [10, 20]}, Click(at=rel(10, 20), count=2)),
        ({"action": "triple_click", "coordinate": [10, 20]}, Click(at=rel(10, 20), count=3)),
        ({"action": "mouse_move", "coordinate": [1000, 1000]}, MouseMove(at=rel(1000, 1000))),
        ({"action": "left_click_drag", "coordinate": [5, 6]}, Drag(path=(rel(5, 6),), from_pointer=True)),
        (
            {"action": "left_click_drag", "start_coordinate": [1, 2], "coordinate": [5, 6]},
            Drag(path=(rel(1, 2), rel(5, 6))),
        ),
        ({"action": "key", "keys": ["ctrl", "c"]}, KeyPress(keys=("ctrl", "c"))),
        ({"action": "key", "keys": ["Control+Shift+t"]}, KeyPress(keys=("ctrl", "shift", "t"))),
        ({"action": "key", "keys": ["+"]}, KeyPress(keys=("+",))),
        ({"action": "type", "text": "hello"}, TypeText(text="hello")),
        ({"action": "scroll", "pixels": 5}, Scroll(direction=ScrollDirection.UP, amount=5)),
        (
            {"action": "scroll", "pixels": -3, "coordinate": [500, 500]},
            Scroll(direction=ScrollDirection.DOWN, amount=3, at=rel(500, 500)),
        ),
        ({"action": "hscroll", "pixels": -2}, Scroll(direction=ScrollDirection.LEFT, amount=2)),
        # up to 100 the value counts wheel notches (OSWorld: pyautogui.scroll(pixels)) ...
        ({"action": "scroll", "pixels": -100}, Scroll(direction=ScrollDirection.DOWN, amount=100)),
        # ... above, it can only be pixels: 100 px per notch, at most 100 notches
        ({"action": "scroll", "pixels": -500}, Scroll(direction=ScrollDirection.DOWN, amount=5)),
        ({"action": "scroll", "pixels": 150}, Scroll(direction=ScrollDirection.UP, amount=1.5)),
        ({"action": "hscroll", "pixels": 50000}, Scroll(direction=ScrollDirection.RIGHT, amount=100)),
        ({"action": "wait", "time": 2}, Wait(seconds=2)),
        ({"action": "wait"}, Wait(seconds=1)),
        ({"action": "terminate", "status": "success"}, Terminate(status="success")),
        ({"action": "terminate", "status": "failure"}, Terminate(status="failure")),
        ({"action": "answer", "text": "42"}, Answer(text="42")),
    ],
)
def test_computer_use_mapping(args: dict[str, object], expected: object) -> None:
    assert to_action(ToolCall(name="computer_use", arguments=args), ctx()) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"action": "click", "coordinate": [10, 20]}, Click(at=rel(10, 20, CoordSpace.REL999))),
        (
            {"action": "long_press", "coordinate": [10, 20], "time": 2},
            LongPress(at=rel(10, 20, CoordSpace.REL999), seconds=2),
        ),
        (
            {"action": "swipe", "coordinate": [500, 800], "coordinate2": [500, 200]},
            Swipe(start=rel(500, 800, CoordSpace.REL999), end=rel(500, 200, CoordSpace.REL999)),
        ),
        ({"action": "system_button", "button": "Back"}, SystemButton(button="back")),
        ({"action": "system_button", "button": "Enter"}, SystemButton(button="enter")),
        ({"action": "key", "text": "volume_up"}, KeyPress(keys=("volumeup",))),
        ({"action": "key", "text": "home"}, SystemButton(button="home")),
        ({"action": "open", "text": "Settings"}, OpenApp(name="Settings")),
        ({"action": "answer", "text": "done"}, Answer(text="done")),
        ({"action": "type", "text": "abc"}, TypeText(text="abc")),
    ],
)
def test_mobile_use_mapping(args: dict[str, object], expected: object) -> None:
    c = ctx(CoordConvention.REL999, tools=("mobile_use",))
    assert to_action(ToolCall(name="mobile_use", arguments=args), c) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"action": "navigate", "url": "https://example.com"}, Navigate(url="https://example.com")),
        ({"action": "back"}, GoBack()),
        ({"action": "forward"}, GoForward()),
        ({"action": "new_tab"}, NewTab()),
        ({"action": "new_tab", "url": "about:blank"}, NewTab(url="about:blank")),
        ({"action": "switch_tab", "index": 1}, SwitchTab(index=1)),
        ({"action": "close_tab"}, CloseTab()),
    ],
)
def test_browser_tool_mapping(args: dict[str, object], expected: object) -> None:
    c = ctx(tools=("computer_use", "browser_use"))
    assert to_action(ToolCall(name="browser_use", arguments=args), c) == expected


def test_browser_actions_need_the_browser_tool() -> None:
    with pytest.raises(ModelOutputError, match="no tool named 'browser_use'"):
        to_action(ToolCall(name="browser_use", arguments={"action": "back"}), ctx())


@pytest.mark.parametrize(
    ("convention", "coordinate"),
    [
        (CoordConvention.REL1000, [1001, 5]),
        (CoordConvention.REL1000, [-1, 5]),
        (CoordConvention.REL999, [1000, 5]),
        (CoordConvention.IMAGE, [1281, 5]),
        (CoordConvention.IMAGE, [5, 801]),
    ],
)
def test_out_of_range_coordinates_are_rejected(convention: CoordConvention, coordinate: list[int]) -> None:
    with pytest.raises(ModelOutputError, match="outside the screen"):
        to_action(
            ToolCall(name="computer_use", arguments={"action": "left_click", "coordinate": coordinate}),
            ctx(convention),
        )


def test_image_convention_converts_from_the_resized_image() -> None:
    # the model saw 640x416 (a resized 1280x800): its pixel 320,208 is the centre
    mapper = CoordinateMapper(CoordConvention.IMAGE, GEOM, Size(width=640, height=416))
    p = mapper.point([320, 208])
    assert p.space is CoordSpace.IMAGE
    assert (p.x, p.y) == pytest.approx((640, 400))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"action": "left_click"}, 'needs "coordinate"'),
        ({"action": "left_click", "coordinate": [1]}, "two numbers"),
        ({"action": "left_click", "coordinate": ["a", "b"]}, "two numbers"),
        ({"action": "fly"}, "not an action"),
        ({}, 'needs an "action"'),
        ({"action": "key", "keys": ["hyperdrive"]}, "invalid arguments for action 'key'"),
        ({"action": "scroll", "pixels": 0}, "must not be 0"),
        ({"action": "terminate", "status": "maybe"}, "success"),
        ({"action": "wait", "time": "soon"}, "must be a number"),
        ({"action": "type", "text": "{{secret:NOPE}}"}, "no secret named 'NOPE'"),
    ],
)
def test_mapping_failures_are_model_output_errors(args: dict[str, object], message: str) -> None:
    with pytest.raises(ModelOutputError, match=message):
        to_action(ToolCall(name="computer_use", arguments=args), ctx(secrets=("PASSWORD",)))


def test_secret_reference_becomes_a_secret_type() -> None:
    c = ctx(secrets=("PASSWORD",))
    action = to_action(ToolCall(name="", arguments={"action": "type", "text": "{{secret:PASSWORD}}"}), c)
    assert action == TypeText(secret="PASSWORD")
    # only the exact form is a reference: text around it is typed literally
    literal = to_action(
        ToolCall(name="computer_use", arguments={"action": "type", "text": "x {{secret:PASSWORD}}"}), c
    )
    assert literal == TypeText(text="x {{secret:PASSWORD}}")


# -- fuzzing -------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "<tool_call>",
        "</tool_call>",
        "<think>",
        "</think>",
        "<function=computer_use>",
        "<parameter=action>",
        "</parameter>",
        "</function>",
        '{"name": "computer_use", "arguments": ',
        '{"action": "left_click", "coordinate": [',
        '"keys": ["ctrl", "',
        '"text": "{{secret:',
        "]}}",
        "[[[[",
        "{",
        "}",
        ",",
        '"',
        "\\",
        "Thought: ",
        "Action: ",
        "1e999",
        "NaN",
        "-5",
        "1001",
        "\n",
    ]
)
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join)
_ARGS = st.dictionaries(
    st.sampled_from(
        [
            "action",
            "coordinate",
            "coordinate2",
            "text",
            "keys",
            "pixels",
            "time",
            "status",
            "button",
            "url",
            "index",
        ]
    ),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-2000, 2000)
        | st.floats(allow_nan=True)
        | st.text(max_size=10)
        | st.sampled_from(
            ["left_click", "key", "type", "scroll", "swipe", "terminate", "navigate", "switch_tab"]
        ),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=2)
        ),
        max_leaves=6,
    ),
    max_size=5,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_fuzz_parser_raises_only_model_output_error(text: str) -> None:
    with contextlib.suppress(ModelOutputError):
        parsed = parse_response(text)
        to_actions(parsed.calls, ctx(tools=("computer_use", "browser_use"), secrets=("PW",)))


@settings(max_examples=200, deadline=None)
@given(_ARGS, st.sampled_from(["computer_use", "mobile_use", "browser_use", ""]))
def test_fuzz_mapping_raises_only_model_output_error(args: dict[str, object], tool: str) -> None:
    tools = ("computer_use", "mobile_use", "browser_use")
    with contextlib.suppress(ModelOutputError):
        to_action(ToolCall(name=tool, arguments=args), ctx(tools=tools))


def test_deeply_nested_json_is_a_model_output_error() -> None:
    with pytest.raises(ModelOutputError):
        parse_response("<tool_call>" + "[" * 100_000 + "</tool_call>")
