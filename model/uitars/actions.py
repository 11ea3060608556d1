"""Map UI-TARS calls onto the action space.

The names are UI-TARS's own (computer: ``click``, ``left_double``, ``right_single``,
``drag``, ``hotkey``, ``type``, ``scroll``, ``wait``, ``finished``, ``call_user``; mobile:
``long_press``, ``open_app``, ``press_home``, ``press_back``), with what the official
parser and the OSWorld UI-TARS agents do with them: ``type`` content ending in ``\\n``
submits with Enter, ``scroll`` turns the wheel 5 notches, ``wait`` sleeps 5 seconds, a
mobile ``scroll`` from one box to another is a swipe. Points go through the family-neutral
:class:`~screenpilot.model.coords.CoordinateMapper` (UI-TARS-1.5 answers in pixels of the
image it was shown).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.uitars.parser import FORMAT_HINT, TarsCall, point_of
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    Drag,
    KeyPress,
    LongPress,
    MouseButton,
    MouseMove,
    OpenApp,
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
from screenpilot.tools.keys import UnknownKeyError, split_combo
from screenpilot.tools.points import Point

SCROLL_NOTCHES = 5.0
"""Wheel notches of one ``scroll`` (the official parser emits ``pyautogui.scroll(±5)``)."""
WAIT_S = 5.0
"""``wait()``: "Sleep for 5s and take a screenshot"."""
_SECRET = re.compile(r"^\{\{\s*secret:([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$")
_KEY_ALIASES = {"arrowleft": "left", "arrowright": "right", "arrowup": "up", "arrowdown": "down"}


class TarsContext(BaseModel):
    """What mapping one answer needs: the mapper and the secret names the model may use."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    mapper: CoordinateMapper
    secrets: tuple[str, ...] = ()


def to_actions(calls: Sequence[TarsCall], ctx: TarsContext) -> tuple[Action, ...]:
    """Map every call in order; the first failure raises :class:`ModelOutputError`."""
    out: list[Action] = []
    for call in calls:
        handler = _HANDLERS.get(call.name)
        if handler is None:
            raise ModelOutputError(f"{call.name}(...) is not in the action space. {FORMAT_HINT}")
        try:
            out.extend(handler(call, ctx))
        except ValidationError as e:  # a value the action refuses (a 900 s long press...)
            problem = e.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise ModelOutputError(f"{call.name}(...): {where}: {problem['msg']}. {FORMAT_HINT}") from None
    return tuple(out)


def _at(call: TarsCall, ctx: TarsContext, *keys: str) -> Point:
    for key in keys:
        if call.args.get(key):
            return ctx.mapper.point(list(point_of(call.args[key])), what=key)
    raise ModelOutputError(f"{call.name}(...) needs {keys[0]}='(x,y)'. {FORMAT_HINT}")


def _start(call: TarsCall, ctx: TarsContext) -> Point:
    return _at(call, ctx, "start_box", "point", "start_point")


def _end(call: TarsCall, ctx: TarsContext) -> Point:
    return _at(call, ctx, "end_box", "end_point")


def _click(button: MouseButton, count: int) -> Callable[[TarsCall, TarsContext], list[Action]]:
    return lambda call, ctx: [Click(at=_start(call, ctx), button=button, count=count)]


def _hotkey(call: TarsCall, ctx: TarsContext) -> list[Action]:
    text = call.args.get("key") or call.args.get("hotkey") or call.args.get("press") or ""
    names = [_KEY_ALIASES.get(k.lower(), k) for k in text.split()]
    if not names:
        raise ModelOutputError(f"{call.name}(...) needs key='ctrl c'. {FORMAT_HINT}")
    keys: list[str] = []
    try:
        for name in names:
            keys.extend(split_combo(name))
    except UnknownKeyError as e:
        raise ModelOutputError(f"invalid key in {call.name}(...): {e}") from None
    return [KeyPress(keys=tuple(keys))]


def _type(call: TarsCall, ctx: TarsContext) -> list[Action]:
    content = call.args.get("content", "")
    submit = content.endswith("\n")
    text = content.rstrip("\n")
    m = _SECRET.match(text.strip())
    out: list[Action] = []
    if m is not None:
        if m.group(1) not in ctx.secrets:
            known = ", ".join(ctx.secrets) or "none"
            raise ModelOutputError(f"there is no secret named {m.group(1)!r}; available secrets: {known}")
        out.append(TypeText(secret=m.group(1)))
    elif text:
        out.append(TypeText(text=text))
    if submit:
        out.append(KeyPress(keys=("enter",)))
    if not out:
        raise ModelOutputError(f"type(content='...') needs some text. {FORMAT_HINT}")
    return out


def _scroll(call: TarsCall, ctx: TarsContext) -> list[Action]:
    if call.args.get("end_box") or call.args.get("end_point"):  # the mobile form: a swipe
        return [Swipe(start=_start(call, ctx), end=_end(call, ctx))]
    word = call.args.get("direction", "").strip().lower()
    direction = next((d for d in ScrollDirection if d.value in word), None)
    if direction is None:
        raise ModelOutputError(f"scroll(...) needs direction='down', 'up', 'left' or 'right'. {FORMAT_HINT}")
    has_point = any(call.args.get(k) for k in ("start_box", "point"))
    at = _start(call, ctx) if has_point else None
    return [Scroll(direction=direction, amount=SCROLL_NOTCHES, at=at)]


def _finished(call: TarsCall, ctx: TarsContext) -> list[Action]:
    content = call.args.get("content", "").strip()
    return [Answer(text=content)] if content else [Terminate(status="success")]


def _long_press(call: TarsCall, ctx: TarsContext) -> list[Action]:
    try:
        seconds = float(call.args.get("time") or 1.0)
    except ValueError:
        raise ModelOutputError(f"long_press(...) time must be a number of seconds. {FORMAT_HINT}") from None
    return [LongPress(at=_start(call, ctx), seconds=seconds)]


def _open_app(call: TarsCall) -> Action:
    name = call.args.get("app_name", "").strip()
    if not name:
        raise ModelOutputError(f"open_app(...) needs app_name='...'. {FORMAT_HINT}")
    return OpenApp(name=name)


_HANDLERS: dict[str, Callable[[TarsCall, TarsContext], list[Action]]] = {
    "click": _click(MouseButton.LEFT, 1),
    "left_single": _click(MouseButton.LEFT, 1),
    "left_double": _click(MouseButton.LEFT, 2),
    "right_single": _click(MouseButton.RIGHT, 1),
    "hover": lambda call, ctx: [MouseMove(at=_start(call, ctx))],
    "drag": lambda call, ctx: [Drag(path=(_start(call, ctx), _end(call, ctx)))],
    "select": lambda call, ctx: [Drag(path=(_start(call, ctx), _end(call, ctx)))],
    "hotkey": _hotkey,
    "press": _hotkey,
    "type": _type,
    "scroll": _scroll,
    "wait": lambda call, ctx: [Wait(seconds=WAIT_S)],
    "finished": _finished,
    "call_user": lambda call, ctx: [
        Terminate(status="failure", reason="the model asked for the user's help")
    ],
    "long_press": _long_press,
    "open_app": lambda call, ctx: [_open_app(call)],
    "press_home": lambda call, ctx: [SystemButton(button=SystemButtonName.HOME)],
    "press_back": lambda call, ctx: [SystemButton(button=SystemButtonName.BACK)],
}
