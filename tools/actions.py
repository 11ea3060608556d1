"""The action space: one frozen pydantic model per verb and one discriminated union.

An action is data, never code: drivers interpret these models and nothing is evaluated.
The union covers what Qwen3-VL's ``computer_use`` and ``mobile_use`` tools can express plus
browser verbs; the mapping from the official action names lives in the model package.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from screenpilot.tools.keys import Key
from screenpilot.tools.points import Point


class _Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def describe(self) -> str:
        """A short human-readable rendering, used in history text and logs."""
        fields = self.model_dump(exclude={"action"}, exclude_defaults=True)
        args = ", ".join(f"{k}={_short(v)}" for k, v in fields.items())
        return f"{self.action}({args})"  # type: ignore[attr-defined]


def _short(value: Any) -> str:
    if isinstance(value, dict) and {"x", "y"} <= value.keys():
        return f"({value['x']:g}, {value['y']:g})"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return repr(value)


class MouseButton(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDDLE = "middle"


class ScrollDirection(StrEnum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


class Click(_Action):
    """Press and release a mouse button (or tap) ``count`` times at a point.

    Covers ``left_click``, ``right_click``, ``middle_click``, ``double_click``,
    ``triple_click`` and the mobile ``click``. ``modifiers`` are held during the click.
    """

    action: Literal["click"] = "click"
    at: Point
    button: MouseButton = MouseButton.LEFT
    count: int = Field(default=1, ge=1, le=3)
    modifiers: tuple[Key, ...] = ()


class MouseMove(_Action):
    """Move the pointer to a point without clicking."""

    action: Literal["mouse_move"] = "mouse_move"
    at: Point


class Drag(_Action):
    """Press at the first point, move through the rest, release at the last.

    With ``from_pointer`` the drag starts at the pointer's current position (Qwen's
    ``left_click_drag`` names only the end point) and ``path`` may hold a single point.
    """

    action: Literal["drag"] = "drag"
    path: tuple[Point, ...] = Field(min_length=1)
    from_pointer: bool = False
    button: MouseButton = MouseButton.LEFT
    hold_seconds: float = Field(default=0.0, ge=0.0, le=10.0)

    @model_validator(mode="after")
    def _enough_points(self) -> Drag:
        if not self.from_pointer and len(self.path) < 2:
            raise ValueError("a drag needs a start and an end point (or from_pointer=true)")
        return self


class Swipe(_Action):
    """A touch swipe from ``start`` to ``end`` over ``duration_ms``."""

    action: Literal["swipe"] = "swipe"
    start: Point
    end: Point
    duration_ms: int = Field(default=300, ge=1, le=10_000)


class LongPress(_Action):
    """Touch and hold (or hold the left button) at a point."""

    action: Literal["long_press"] = "long_press"
    at: Point
    seconds: float = Field(default=1.0, gt=0.0, le=30.0)


class TypeText(_Action):
    """Type text into the focused element.

    Exactly one of ``text`` and ``secret`` is set; ``secret`` names a secret the agent
    resolves at execution time, so its value never appears in the action, a prompt or a
    trajectory.
    """

    action: Literal["type"] = "type"
    text: str | None = None
    secret: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")
    clear_first: bool = False
    submit: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> TypeText:
        if (self.text is None) == (self.secret is None):
            raise ValueError("type needs exactly one of 'text' or 'secret'")
        return self


class KeyPress(_Action):
    """Press a chord: all keys go down in order, then up in reverse (``ctrl+c``)."""

    action: Literal["key"] = "key"
    keys: tuple[Key, ...] = Field(min_length=1, max_length=6)


class Scroll(_Action):
    """Scroll by ``amount`` wheel notches in ``direction``, at a point or where the pointer is."""

    action: Literal["scroll"] = "scroll"
    direction: ScrollDirection
    amount: float = Field(default=3.0, gt=0.0, le=100.0)
    at: Point | None = None


class Wait(_Action):
    """Do nothing for a while (pages loading, animations)."""

    action: Literal["wait"] = "wait"
    seconds: float = Field(default=1.0, ge=0.0, le=60.0)


class Navigate(_Action):
    """Load a URL in the current tab."""

    action: Literal["navigate"] = "navigate"
    url: str = Field(min_length=1)


class GoBack(_Action):
    action: Literal["back"] = "back"


class GoForward(_Action):
    action: Literal["forward"] = "forward"


class Reload(_Action):
    action: Literal["reload"] = "reload"


class NewTab(_Action):
    """Open a tab (optionally at a URL) and switch to it."""

    action: Literal["new_tab"] = "new_tab"
    url: str | None = None


class SwitchTab(_Action):
    """Switch to the tab at ``index`` (0-based, in opening order)."""

    action: Literal["switch_tab"] = "switch_tab"
    index: int = Field(ge=0)


class CloseTab(_Action):
    """Close the tab at ``index`` (the current one when omitted)."""

    action: Literal["close_tab"] = "close_tab"
    index: int | None = Field(default=None, ge=0)


class OpenApp(_Action):
    """Open an application by name, package, desktop entry or command."""

    action: Literal["open_app"] = "open_app"
    name: str = Field(min_length=1)


class SystemButtonName(StrEnum):
    BACK = "back"
    HOME = "home"
    MENU = "menu"
    ENTER = "enter"
    APP_SWITCH = "app_switch"


class SystemButton(_Action):
    """A device-level button (Android Back, Home, Menu, Enter, app switch)."""

    action: Literal["system_button"] = "system_button"
    button: SystemButtonName


class Answer(_Action):
    """Finish the task with an answer for the user."""

    action: Literal["answer"] = "answer"
    text: str


class Terminate(_Action):
    """Finish the task, saying whether it succeeded."""

    action: Literal["terminate"] = "terminate"
    status: Literal["success", "failure"] = "success"
    reason: str | None = None


Action = Annotated[
    Click
    | MouseMove
    | Drag
    | Swipe
    | LongPress
    | TypeText
    | KeyPress
    | Scroll
    | Wait
    | Navigate
    | GoBack
    | GoForward
    | Reload
    | NewTab
    | SwitchTab
    | CloseTab
    | OpenApp
    | SystemButton
    | Answer
    | Terminate,
    Field(discriminator="action"),
]
"""Any action, discriminated on its ``action`` field."""

TERMINAL_KINDS: frozenset[str] = frozenset({"answer", "terminate"})
"""Actions that end a run instead of reaching a driver."""


@cache
def action_adapter() -> TypeAdapter[Action]:
    """The pydantic adapter for the union (validation and JSON schema)."""
    return TypeAdapter(Action)


def parse_action(data: dict[str, Any] | str) -> Action:
    """Validate a dict or JSON string into an action.

    Raises:
        pydantic.ValidationError: When the data is not a valid action.
    """
    if isinstance(data, str):
        return action_adapter().validate_json(data)
    return action_adapter().validate_python(data)


def action_kinds() -> frozenset[str]:
    """Every value the ``action`` discriminator can take."""
    union = Action.__origin__  # type: ignore[attr-defined]
    return frozenset(cls.model_fields["action"].default for cls in union.__args__)


def action_json_schema() -> dict[str, Any]:
    """JSON schema of the whole action union."""
    return action_adapter().json_schema()


def points_of(action: Action) -> list[Point]:
    """Every point an action refers to, in order."""
    match action:
        case Click(at=p) | MouseMove(at=p) | LongPress(at=p):
            return [p]
        case Drag(path=path):
            return list(path)
        case Swipe(start=s, end=e):
            return [s, e]
        case Scroll(at=p) if p is not None:
            return [p]
    return []
