"""screenpilot actions written as calls of BrowserGym's high-level action set.

Only the coordinate, navigation, tab and chat subsets are used, every argument is a
number or a string literal written with ``repr``, and BrowserGym parses the text with its
own grammar (whitelisted functions, literal arguments, ``strict`` mode) before running it:
nothing a model wrote reaches BrowserGym except as a quoted literal.
"""

from __future__ import annotations

from screenpilot.environments.browser.keymap import playwright_key
from screenpilot.tools.actions import (
    Action,
    Click,
    CloseTab,
    Drag,
    GoBack,
    GoForward,
    KeyPress,
    MouseMove,
    Navigate,
    NewTab,
    Scroll,
    SwitchTab,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ActionRejected
from screenpilot.tools.points import Point

ACTION_SUBSETS = ("coord", "nav", "tab", "chat", "infeas")
"""BrowserGym subsets the adapter's calls come from."""

BROWSERGYM_ACTIONS = frozenset(
    {"click", "mouse_move", "drag", "type", "key", "scroll", "wait"}
    | {"navigate", "back", "forward", "new_tab", "switch_tab", "close_tab"}
)
"""screenpilot action kinds the adapter executes."""

SCROLL_STEP_PX = 100
"""CSS pixels per wheel notch, as in the browser environment."""


def _num(value: float) -> str:
    return repr(round(float(value), 2))


def _xy(at: Point, scale: float) -> str:
    return f"{_num(at.x * scale)}, {_num(at.y * scale)}"


def _click(action: Click, scale: float) -> list[str]:
    if action.count == 3:
        raise ActionRejected("BrowserGym has no triple click")
    verb = "mouse_dblclick" if action.count == 2 else "mouse_click"
    mods = [playwright_key(k) for k in action.modifiers]
    return [
        *(f"keyboard_down({m!r})" for m in mods),
        f"{verb}({_xy(action.at, scale)}, {action.button.value!r})",
        *(f"keyboard_up({m!r})" for m in reversed(mods)),
    ]


def _drag(action: Drag, scale: float) -> list[str]:
    if action.from_pointer:
        raise ActionRejected("BrowserGym cannot drag from the pointer's position; give both points")
    first, *rest = action.path
    if len(rest) == 1 and action.button.value == "left" and not action.hold_seconds:
        return [f"mouse_drag_and_drop({_xy(first, scale)}, {_xy(rest[0], scale)})"]
    lines = [f"mouse_down({_xy(first, scale)}, {action.button.value!r})"]
    if action.hold_seconds:
        lines.append(f"noop({int(action.hold_seconds * 1000)})")
    lines += [f"mouse_move({_xy(p, scale)})" for p in rest[:-1]]
    return [*lines, f"mouse_up({_xy(rest[-1], scale)}, {action.button.value!r})"]


def _type(action: TypeText) -> list[str]:
    if action.text is None:
        raise ActionRejected("secrets must be resolved before the environment types them")
    lines = ["keyboard_press('ControlOrMeta+a')", "keyboard_press('Backspace')"] if action.clear_first else []
    lines.append(f"keyboard_type({action.text!r})")
    return [*lines, "keyboard_press('Enter')"] if action.submit else lines


def _scroll(action: Scroll, scale: float, viewport: tuple[float, float]) -> list[str]:
    step = action.amount * SCROLL_STEP_PX * scale
    dx, dy = {"up": (0, -step), "down": (0, step), "left": (-step, 0), "right": (step, 0)}[
        action.direction.value
    ]
    at = action.at or Point(x=viewport[0] / 2, y=viewport[1] / 2)
    return [f"scroll_at({_xy(at, scale)}, {_num(dx)}, {_num(dy)})"]


def _pointer(action: Action, scale: float, viewport: tuple[float, float]) -> list[str] | None:
    match action:
        case Click():
            return _click(action, scale)
        case MouseMove():
            return [f"mouse_move({_xy(action.at, scale)})"]
        case Drag():
            return _drag(action, scale)
        case Scroll():
            return _scroll(action, scale, viewport)
    return None


def _keys_and_pages(action: Action) -> list[str] | None:
    match action:
        case TypeText():
            return _type(action)
        case KeyPress():
            return [f"keyboard_press({'+'.join(playwright_key(k) for k in action.keys)!r})"]
        case Wait():
            return [f"noop({int(action.seconds * 1000)})"]
        case Navigate():
            return [f"goto({action.url!r})"]
        case GoBack():
            return ["go_back()"]
        case GoForward():
            return ["go_forward()"]
        case NewTab():
            return ["new_tab()", *([f"goto({action.url!r})"] if action.url else [])]
        case SwitchTab():
            return [f"tab_focus({action.index})"]
        case CloseTab():
            return [*([f"tab_focus({action.index})"] if action.index is not None else []), "tab_close()"]
    return None


def to_browsergym(action: Action, *, scale: float, viewport: tuple[float, float]) -> str:
    """The BrowserGym action text of ``action`` (one call per line).

    Args:
        action: An action with points in the page's CSS pixels.
        scale: Screenshot pixels per CSS pixel (BrowserGym's coordinates are screenshot pixels).
        viewport: The viewport in CSS pixels (where a scroll without a point happens).

    Raises:
        ActionRejected: For an action BrowserGym cannot express.
    """
    lines = _pointer(action, scale, viewport)
    if lines is None:
        lines = _keys_and_pages(action)
    if lines is None:
        raise ActionRejected(
            f"{action.action!r} is not available through BrowserGym; "
            f"available: {', '.join(sorted(BROWSERGYM_ACTIONS))}"
        )
    return "\n".join(lines)
