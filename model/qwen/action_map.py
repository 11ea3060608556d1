"""Map the official Qwen tool actions onto the action space.

``computer_use`` (desktop and browser pages), ``mobile_use`` (Android) and the browser
tool share one table: the official tool class and notebooks disagree on a few names and
argument keys (``key`` takes ``keys`` or ``text``, ``open``, ``answer``), so the union is
accepted. Every problem raises :class:`~tools.errors.ModelOutputError` with a message the
model can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from screenpilot.model.coords import CoordinateMapper, to_finite
from screenpilot.model.qwen.parser import ToolCall
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
    SystemButtonName,
    Terminate,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.keys import UnknownKeyError, split_combo
from screenpilot.tools.points import Point

SECRET_REF = re.compile(r"^\{\{\s*secret:([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$")
BROWSER_ACTIONS = frozenset({"navigate", "back", "forward", "new_tab", "switch_tab", "close_tab"})
MAX_TAB_INDEX = 999
_SUCCESS = {"success", "succeeded", "successful", "done", "complete", "completed", "true"}
_FAILURE = {"failure", "fail", "failed", "infeasible", "false", "error"}


class MapContext(BaseModel):
    """What mapping one answer needs.

    Attributes:
        tools: Tool names offered in the prompt (the first one is the primary tool).
        secrets: Secret names the model may reference as ``{{secret:NAME}}``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    mapper: CoordinateMapper
    tools: tuple[str, ...]
    secrets: tuple[str, ...] = ()


def to_actions(calls: Sequence[ToolCall], ctx: MapContext) -> tuple[Action, ...]:
    """Map every call; the first failure raises."""
    return tuple(to_action(c, ctx) for c in calls)


def to_action(call: ToolCall, ctx: MapContext) -> Action:
    """Map one tool call onto an action.

    Raises:
        ModelOutputError: For an unknown tool or action, a missing or malformed argument,
            an out-of-range coordinate, or an unknown secret.
    """
    name = call.name or ctx.tools[0]
    if name not in ctx.tools:
        raise ModelOutputError(
            f"there is no tool named {_clip(name)}; the available tools are {', '.join(ctx.tools)}"
        )
    args = call.arguments
    verb = args.get("action")
    if not isinstance(verb, str) or not verb:
        raise ModelOutputError(f'the {name} call needs an "action" argument')
    verb = verb.strip().lower()
    if verb in BROWSER_ACTIONS and "browser_use" not in ctx.tools:
        raise ModelOutputError(f"{_clip(verb)} is not available here; use the {ctx.tools[0]} tool")
    handler = _HANDLERS.get(verb)
    if handler is None:
        raise ModelOutputError(
            f"{_clip(verb)} is not an action of {name}; see the action list in the tool description"
        )
    try:
        return handler(args, ctx)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or verb}: {err['msg']}" for err in e.errors()
        )
        raise ModelOutputError(f"invalid arguments for action {verb!r}: {problems}") from None


# -- helpers -------------------------------------------------------------------------------


def _at(args: dict[str, Any], ctx: MapContext, key: str = "coordinate") -> Point:
    if args.get(key) is None:
        raise ModelOutputError(f'action {_clip(args.get("action"))} needs "{key}": [x, y]')
    return ctx.mapper.point(args[key], what=key)


def _number(args: dict[str, Any], key: str, default: float | None = None) -> float:
    value = args.get(key, default)
    if value is None:
        raise ModelOutputError(f'action {_clip(args.get("action"))} needs a number "{key}"')
    out = to_finite(value)
    if out is None:
        raise ModelOutputError(f'"{key}" must be a number, got {_clip(value)}')
    return out


def _text(args: dict[str, Any], key: str = "text") -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise ModelOutputError(f'action {_clip(args.get("action"))} needs a string "{key}"')
    return value


def _click(button: MouseButton, count: int) -> Callable[[dict[str, Any], MapContext], Action]:
    def handler(args: dict[str, Any], ctx: MapContext) -> Action:
        return Click(at=_at(args, ctx), button=button, count=count)

    return handler


def _type(args: dict[str, Any], ctx: MapContext) -> Action:
    text = _text(args)
    m = SECRET_REF.match(text.strip())
    if m is None:
        return TypeText(text=text)
    if m.group(1) not in ctx.secrets:
        known = ", ".join(ctx.secrets) or "none"
        raise ModelOutputError(f"there is no secret named {_clip(m.group(1))}; available secrets: {known}")
    return TypeText(secret=m.group(1))


def _keys(args: dict[str, Any], ctx: MapContext) -> Action:
    raw = args.get("keys", args.get("text", args.get("key")))
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str) and k for k in raw):
        raise ModelOutputError('action "key" needs "keys": a list of key names such as ["ctrl", "c"]')
    if ctx.tools[0] == "mobile_use" and len(raw) == 1 and raw[0].strip().lower() in _SYSTEM_KEYS:
        return SystemButton(button=_SYSTEM_KEYS[raw[0].strip().lower()])
    keys: list[str] = []
    for k in raw:
        keys.extend(_combo(k))
    return KeyPress(keys=tuple(keys))


def _combo(text: str) -> list[str]:
    """Canonical keys of ``"ctrl+c"``, ``"Return"`` or adb's ``"KEYCODE_VOLUME_UP"``."""
    try:
        return split_combo(text)
    except UnknownKeyError as e:
        adb = text.strip().lower().removeprefix("keycode_").replace("_", "")
        try:
            return split_combo(adb)
        except UnknownKeyError:
            raise ModelOutputError(f"invalid arguments for action 'key': {e}") from None


_SYSTEM_KEYS = {
    "back": SystemButtonName.BACK,
    "home": SystemButtonName.HOME,
    "menu": SystemButtonName.MENU,
    "app_switch": SystemButtonName.APP_SWITCH,
}


def _drag(args: dict[str, Any], ctx: MapContext) -> Action:
    end = _at(args, ctx)
    for key in ("start_coordinate", "coordinate1", "start"):
        if args.get(key) is not None:
            return Drag(path=(_at(args, ctx, key), end))
    return Drag(path=(end,), from_pointer=True)


MAX_NOTCHES = 100
"""The largest ``pixels`` value read as wheel notches (the action space's limit)."""
PIXELS_PER_NOTCH = 100
"""Larger values are pixels: one wheel notch scrolls about 100 CSS pixels in Chromium."""


def scroll_notches(pixels: float) -> float:
    """Wheel notches for a ``scroll`` / ``hscroll`` ``pixels`` value (its sign dropped).

    Up to :data:`MAX_NOTCHES` the value counts notches, as the OSWorld agent and
    pyautogui read it (``pyautogui.scroll(-5)`` turns the wheel five clicks); beyond that
    it cannot be notches and is read as pixels, ``pixels / 100`` notches, at most 100.
    """
    size = abs(pixels)
    if size <= MAX_NOTCHES:
        return size
    return min(float(MAX_NOTCHES), max(1.0, size / PIXELS_PER_NOTCH))


def _scroll(horizontal: bool) -> Callable[[dict[str, Any], MapContext], Action]:
    def handler(args: dict[str, Any], ctx: MapContext) -> Action:
        pixels = _number(args, "pixels", args.get("amount"))
        if pixels == 0:
            raise ModelOutputError(
                '"pixels" must not be 0: positive scrolls up (or right), negative down (or left)'
            )
        if horizontal:
            direction = ScrollDirection.RIGHT if pixels > 0 else ScrollDirection.LEFT
        else:
            direction = ScrollDirection.UP if pixels > 0 else ScrollDirection.DOWN
        at = _at(args, ctx) if args.get("coordinate") is not None else None
        return Scroll(direction=direction, amount=scroll_notches(pixels), at=at)

    return handler


def _terminate(args: dict[str, Any], ctx: MapContext) -> Action:
    raw = args.get("status", "success")
    status = raw if isinstance(raw, str) else "true" if raw is True else "false" if raw is False else ""
    status = status.strip().lower()
    if status in _SUCCESS:
        return Terminate(status="success")
    if status in _FAILURE:
        return Terminate(status="failure")
    raise ModelOutputError(f'"status" must be "success" or "failure", got {_clip(raw)}')


def _system_button(args: dict[str, Any], ctx: MapContext) -> Action:
    name = _text(args, "button").strip().lower().replace(" ", "_")
    try:
        return SystemButton(button=SystemButtonName(name))
    except ValueError:
        raise ModelOutputError('"button" must be one of Back, Home, Menu, Enter') from None


def _index(args: dict[str, Any], *, required: bool) -> int | None:
    if args.get("index") is None and not required:
        return None
    value = _number(args, "index")
    if not (0 <= value <= MAX_TAB_INDEX and value == int(value)):
        raise ModelOutputError(f'"index" must be a whole number from 0 to {MAX_TAB_INDEX}')
    return int(value)


def _clip(value: object, limit: int = 80) -> str:
    """``repr(value)``, shortened: messages go back into the prompt."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_HANDLERS: dict[str, Callable[[dict[str, Any], MapContext], Action]] = {
    "left_click": _click(MouseButton.LEFT, 1),
    "click": _click(MouseButton.LEFT, 1),
    "right_click": _click(MouseButton.RIGHT, 1),
    "middle_click": _click(MouseButton.MIDDLE, 1),
    "double_click": _click(MouseButton.LEFT, 2),
    "triple_click": _click(MouseButton.LEFT, 3),
    "mouse_move": lambda a, c: MouseMove(at=_at(a, c)),
    "left_click_drag": _drag,
    "type": _type,
    "key": _keys,
    "scroll": _scroll(horizontal=False),
    "hscroll": _scroll(horizontal=True),
    "wait": lambda a, c: Wait(seconds=_number(a, "time", 1.0)),
    "terminate": _terminate,
    "answer": lambda a, c: Answer(text=_text(a)),
    "long_press": lambda a, c: LongPress(at=_at(a, c), seconds=_number(a, "time", 1.0)),
    "swipe": lambda a, c: Swipe(start=_at(a, c), end=_at(a, c, "coordinate2")),
    "system_button": _system_button,
    "open": lambda a, c: OpenApp(name=_text(a)),
    "navigate": lambda a, c: Navigate(url=_text(a, "url")),
    "back": lambda a, c: GoBack(),
    "forward": lambda a, c: GoForward(),
    "new_tab": lambda a, c: NewTab(url=a["url"] if isinstance(a.get("url"), str) and a["url"] else None),
    "switch_tab": lambda a, c: SwitchTab(index=_index(a, required=True)),
    "close_tab": lambda a, c: CloseTab(index=_index(a, required=False)),
}
