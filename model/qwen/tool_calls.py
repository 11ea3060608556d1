"""Write actions as the Qwen-VL tool calls a model would have answered (the inverse of
:mod:`screenpilot.model.qwen.action_map`).

Training data needs the answer a well-behaved model gives for a step: the same tool names,
verbs and argument keys the policy parses, and every point in the coordinate convention the
prompt announced. Points are converted from whatever space a run recorded them in through
:mod:`screenpilot.environments.geometry` and rounded to whole numbers, as models write them.
An action with no form in the tools offered (a click with held modifiers, a drag along
more than two points, a browser verb without the browser tool) has no answer: ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from screenpilot.environments.geometry import convert
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.qwen.action_map import SECRET_REF
from screenpilot.tools.actions import (
    Action,
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
from screenpilot.tools.errors import CoordinateOutOfRange
from screenpilot.tools.points import CoordSpace, Point

ToolCallDict = dict[str, Any]
"""``{"name": tool, "arguments": {...}}``, as inside ``<tool_call>`` tags."""

_CLICKS = {
    (MouseButton.LEFT, 1): "left_click",
    (MouseButton.RIGHT, 1): "right_click",
    (MouseButton.MIDDLE, 1): "middle_click",
    (MouseButton.LEFT, 2): "double_click",
    (MouseButton.LEFT, 3): "triple_click",
}
_BROWSER = (Navigate, GoBack, GoForward, NewTab, SwitchTab, CloseTab)


def encode_point(point: Point, mapper: CoordinateMapper) -> list[int] | None:
    """``point`` as the two whole numbers a model answers in ``mapper``'s convention.

    ``None`` when the point lies outside the screen the observation shows.
    """
    observed = mapper.observed
    try:
        if mapper.convention is CoordConvention.IMAGE:
            p = convert(point, CoordSpace.IMAGE, observed.resized(mapper.model_image))
        else:
            p = convert(point, mapper.convention.space, observed)
    except CoordinateOutOfRange:
        return None
    x, y = round(p.x), round(p.y)
    if not (0 <= x <= mapper.display.width and 0 <= y <= mapper.display.height):
        return None
    return [x, y]


def calls_for(action: Action, tools: Sequence[str], mapper: CoordinateMapper) -> list[ToolCallDict] | None:
    """The tool calls that express ``action`` (usually one), or ``None`` when none can.

    Args:
        action: The action as recorded.
        tools: The tools the prompt offered, primary first.
        mapper: The prompt's coordinate mapper (convention, observation, model image).
    """
    tool = tools[0]
    if isinstance(action, _BROWSER):
        args = _browser_args(action)
        return [{"name": "browser_use", "arguments": args}] if "browser_use" in tools else None
    args_list = _computer_args(action, mapper) if tool == "computer_use" else _mobile_args(action, mapper)
    if args_list is None:
        return None
    return [{"name": tool, "arguments": a} for a in args_list]


def render_calls(calls: Sequence[ToolCallDict]) -> str:
    """The answer text: one ``<tool_call>`` block per call, as the cookbooks write them."""
    return "\n".join(f"<tool_call>\n{json.dumps(c, ensure_ascii=False)}\n</tool_call>" for c in calls)


# -- per tool ------------------------------------------------------------------------------


def _common(action: Action) -> dict[str, Any] | None:
    """Verbs spelled the same by both tools; ``None`` for the others."""
    if isinstance(action, Terminate):
        return {"action": "terminate", "status": action.status}
    if isinstance(action, Answer):
        return {"action": "answer", "text": action.text}
    if isinstance(action, Wait):
        return {"action": "wait", "time": action.seconds}
    return None


def _computer_args(action: Action, mapper: CoordinateMapper) -> list[dict[str, Any]] | None:
    common = _common(action)
    if common is not None:
        return [common]
    if isinstance(action, TypeText):
        return _typing(action)
    if isinstance(action, KeyPress):
        return [{"action": "key", "keys": list(action.keys)}]
    if isinstance(action, Scroll):
        return _scroll(action, mapper)
    point_args = _pointer(action, mapper)
    return [point_args] if point_args is not None else None


def _pointer(action: Action, mapper: CoordinateMapper) -> dict[str, Any] | None:
    if isinstance(action, Click):
        verb = _CLICKS.get((action.button, action.count))
        at = encode_point(action.at, mapper)
        return {"action": verb, "coordinate": at} if verb and at and not action.modifiers else None
    if isinstance(action, MouseMove):
        at = encode_point(action.at, mapper)
        return {"action": "mouse_move", "coordinate": at} if at else None
    if isinstance(action, Drag) and action.button is MouseButton.LEFT and not action.hold_seconds:
        return _drag(action, mapper)
    return None


def _drag(action: Drag, mapper: CoordinateMapper) -> dict[str, Any] | None:
    points = [encode_point(p, mapper) for p in action.path]
    if any(p is None for p in points):
        return None
    if action.from_pointer and len(points) == 1:
        return {"action": "left_click_drag", "coordinate": points[0]}
    if not action.from_pointer and len(points) == 2:
        return {"action": "left_click_drag", "start_coordinate": points[0], "coordinate": points[1]}
    return None


def _scroll(action: Scroll, mapper: CoordinateMapper) -> list[dict[str, Any]] | None:
    horizontal = action.direction in (ScrollDirection.LEFT, ScrollDirection.RIGHT)
    positive = action.direction in (ScrollDirection.UP, ScrollDirection.RIGHT)
    amount = round(action.amount) if float(action.amount).is_integer() else action.amount
    args: dict[str, Any] = {"action": "hscroll" if horizontal else "scroll"}
    if action.at is not None:
        at = encode_point(action.at, mapper)
        if at is None:
            return None
        args["coordinate"] = at
    args["pixels"] = amount if positive else -amount
    return [args]


def _typing(action: TypeText) -> list[dict[str, Any]] | None:
    text = _typed_text(action)
    if text is None:
        return None
    out: list[dict[str, Any]] = [{"action": "type", "text": text}]
    if action.submit:
        out.append({"action": "key", "keys": ["enter"]})
    return out


def _typed_text(action: TypeText) -> str | None:
    """The text argument; a secret becomes its reference, never its value.

    Recorded runs hold ``[secret:NAME]`` where a secret's value was typed as plain text:
    as the whole text it is the reference the model should have written; inside other
    text there is no way to write it, so the action has no answer.
    """
    if action.secret is not None:
        return "{{secret:" + action.secret + "}}"
    text = action.text or ""
    whole = mask_name(text)
    if whole is not None:
        return "{{secret:" + whole + "}}"
    if "[secret:" in text:
        return None
    return text


def mask_name(text: str) -> str | None:
    """``NAME`` when ``text`` is exactly one redaction mask ``[secret:NAME]``."""
    stripped = text.strip()
    if stripped.startswith("[secret:") and stripped.endswith("]") and stripped.count("[") == 1:
        name = stripped[len("[secret:") : -1]
        if SECRET_REF.match("{{secret:" + name + "}}"):
            return name
    return None


def _mobile_args(action: Action, mapper: CoordinateMapper) -> list[dict[str, Any]] | None:
    common = _common(action)
    if common is not None:
        return [common]
    if isinstance(action, TypeText):
        return _typing(action)
    if isinstance(action, SystemButton):
        return [{"action": "system_button", "button": action.button.value.replace("_", " ").title()}]
    if isinstance(action, OpenApp):
        return [{"action": "open", "text": action.name}]
    if isinstance(action, KeyPress):
        return [{"action": "key", "keys": list(action.keys)}]
    return _touch(action, mapper)


def _touch(action: Action, mapper: CoordinateMapper) -> list[dict[str, Any]] | None:
    if isinstance(action, Click) and action.button is MouseButton.LEFT and action.count == 1:
        at = encode_point(action.at, mapper)
        return [{"action": "click", "coordinate": at}] if at and not action.modifiers else None
    if isinstance(action, LongPress):
        at = encode_point(action.at, mapper)
        return [{"action": "long_press", "coordinate": at, "time": action.seconds}] if at else None
    if isinstance(action, Swipe):
        start, end = encode_point(action.start, mapper), encode_point(action.end, mapper)
        return [{"action": "swipe", "coordinate": start, "coordinate2": end}] if start and end else None
    return None


def _browser_args(action: Action) -> dict[str, Any]:
    if isinstance(action, Navigate):
        return {"action": "navigate", "url": action.url}
    if isinstance(action, NewTab):
        return {"action": "new_tab", **({"url": action.url} if action.url else {})}
    if isinstance(action, SwitchTab):
        return {"action": "switch_tab", "index": action.index}
    if isinstance(action, CloseTab):
        return {"action": "close_tab", **({"index": action.index} if action.index is not None else {})}
    return {"action": "back" if isinstance(action, GoBack) else "forward"}
