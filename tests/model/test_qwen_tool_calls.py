"""Actions written as Qwen tool calls read back, through the policy's own parser and action
mapping, as the same actions at the same points (within a pixel), in every convention."""

from __future__ import annotations

import math

import pytest

from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen_float
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.tool_calls import calls_for, encode_point, mask_name, render_calls
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    CloseTab,
    Drag,
    GoBack,
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
    SystemButtonName,
    Terminate,
    TypeText,
    Wait,
    points_of,
)
from screenpilot.tools.points import CoordSpace, Point

# a HiDPI monitor right of another one: screenshot pixels are twice the logical ones
GEOM = ScreenGeometry(
    image_size=Size(width=2560, height=1600),
    logical_size=Size(width=1280, height=800),
    scale_factor=2.0,
    offset_x=1920,
)
MODEL_IMAGE = Size(width=1280, height=800)


def screen(x: float, y: float) -> Point:
    return Point(x=GEOM.offset_x + x, y=y, space=CoordSpace.SCREEN)


COMPUTER: list[Action] = [
    Click(at=screen(100.4, 200.6)),
    Click(at=screen(0, 0), button=MouseButton.RIGHT),
    Click(at=screen(1279, 799), count=2),
    Click(at=screen(640, 400), count=3),
    Click(at=screen(3, 5), button=MouseButton.MIDDLE),
    MouseMove(at=Point(x=500, y=250, space=CoordSpace.REL1000)),
    Drag(path=(screen(10, 10), screen(600, 300))),
    Drag(path=(screen(30, 40),), from_pointer=True),
    Scroll(direction=ScrollDirection.DOWN, amount=5, at=screen(640, 400)),
    Scroll(direction=ScrollDirection.LEFT, amount=2.5),
    TypeText(text="héllo wörld"),
    TypeText(secret="password"),
    TypeText(text="[secret:password]"),
    KeyPress(keys=("ctrl", "shift", "t")),
    Wait(seconds=2),
    Answer(text="42"),
    Terminate(status="success"),
    Navigate(url="https://example.org/a?b=1"),
    GoBack(),
    NewTab(url="https://example.org"),
    SwitchTab(index=1),
    CloseTab(),
]
MOBILE: list[Action] = [
    Click(at=screen(100, 700)),
    LongPress(at=screen(640, 400), seconds=2),
    Swipe(start=screen(640, 700), end=screen(640, 100)),
    SystemButton(button=SystemButtonName.BACK),
    SystemButton(button=SystemButtonName.HOME),
    OpenApp(name="Settings"),
    TypeText(text="hi", submit=True),
    Terminate(status="failure"),
]
CONVENTIONS = [
    CoordConvention.REL1000,
    CoordConvention.REL999,
    CoordConvention.OSWORLD,
    CoordConvention.IMAGE,
]


def _read(answer: str, tools: tuple[str, ...], mapper: CoordinateMapper) -> tuple[Action, ...]:
    return to_actions(
        parse_response(answer).calls, MapContext(mapper=mapper, tools=tools, secrets=("password",))
    )


def _same(want: Action, got: Action) -> None:
    assert got.action == want.action, (want, got)
    for p, q in zip(points_of(want), points_of(got), strict=True):
        (x0, y0), (x1, y1) = to_screen_float(p, GEOM), to_screen_float(q, GEOM)
        # one relative unit is 1.28 logical pixels here: rounding stays within 0.64 of a unit
        assert math.hypot(x1 - x0, y1 - y0) <= 1.0, (want, got)
    fields = set(type(want).model_fields) - {"at", "path", "start", "end", "amount", "text", "secret"}
    assert {f: getattr(got, f) for f in fields} == {f: getattr(want, f) for f in fields}


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_computer_actions_round_trip(convention: CoordConvention) -> None:
    mapper = CoordinateMapper(convention, GEOM, MODEL_IMAGE)
    tools = ("computer_use", "browser_use")
    for action in COMPUTER:
        calls = calls_for(action, tools, mapper)
        assert calls is not None, action
        got = _read(render_calls(calls), tools, mapper)
        assert len(got) == 1
        _same(action, got[0])
        if isinstance(action, Scroll):
            assert got[0].amount == action.amount  # type: ignore[union-attr]
        if isinstance(action, TypeText):
            assert (got[0].text, got[0].secret) == (action.text, action.secret) or (  # type: ignore[union-attr]
                action.text == "[secret:password]" and got[0].secret == "password"  # type: ignore[union-attr]
            )


@pytest.mark.parametrize("convention", [CoordConvention.REL999, CoordConvention.IMAGE])
def test_mobile_actions_round_trip(convention: CoordConvention) -> None:
    mapper = CoordinateMapper(convention, GEOM, MODEL_IMAGE)
    tools = ("mobile_use",)
    for action in MOBILE:
        calls = calls_for(action, tools, mapper)
        assert calls is not None, action
        got = _read(render_calls(calls), tools, mapper)
        if isinstance(action, TypeText):  # a submit is a key press after the text
            assert [a.action for a in got] == ["type", "key"] and got[1].keys == ("enter",)  # type: ignore[union-attr]
            continue
        assert len(got) == 1
        _same(action, got[0])


def test_numbers_are_whole_and_in_the_announced_range() -> None:
    mapper = CoordinateMapper(CoordConvention.REL1000, GEOM, MODEL_IMAGE)
    assert encode_point(screen(1280, 800), mapper) == [1000, 1000]
    assert encode_point(screen(0, 0), mapper) == [0, 0]
    assert encode_point(screen(-5, 10), mapper) is None  # off the captured monitor
    image = CoordinateMapper(CoordConvention.IMAGE, GEOM, Size(width=640, height=400))
    assert encode_point(screen(640, 400), image) == [320, 200]  # pixels of the image the model saw
    assert calls_for(Click(at=screen(1, 1)), ("computer_use",), mapper) == [
        {"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 1]}}
    ]


def test_actions_without_a_call_have_no_answer() -> None:
    mapper = CoordinateMapper(CoordConvention.REL1000, GEOM, MODEL_IMAGE)
    computer = ("computer_use",)
    assert calls_for(Click(at=screen(5, 5), modifiers=("ctrl",)), computer, mapper) is None
    assert calls_for(Drag(path=(screen(1, 1), screen(2, 2), screen(3, 3))), computer, mapper) is None
    assert calls_for(Navigate(url="https://x.org"), computer, mapper) is None  # no browser tool offered
    assert calls_for(TypeText(text="pw is [secret:password] ok"), computer, mapper) is None
    assert calls_for(Click(at=screen(5, 5), button=MouseButton.RIGHT), ("mobile_use",), mapper) is None
    assert mask_name("[secret:api.key]") == "api.key" and mask_name("[secret:a] [secret:b]") is None
