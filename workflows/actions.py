"""Turning action steps into the action space, once their targets are located."""

from __future__ import annotations

from pydantic import ValidationError

from screenpilot.tools.actions import (
    Action,
    Click,
    Drag,
    KeyPress,
    MouseButton,
    Navigate,
    OpenApp,
    Scroll,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Point
from screenpilot.workflows.steps import (
    AnyStep,
    ClickStep,
    DoubleClickStep,
    DragStep,
    NavigateStep,
    OpenAppStep,
    PressStep,
    RightClickStep,
    ScrollStep,
    SecretRef,
    TypeStep,
    WaitStep,
    key_chord,
)
from screenpilot.workflows.targets import AnyTarget

ACTION_KINDS: frozenset[str] = frozenset(
    {
        "click",
        "double_click",
        "right_click",
        "type",
        "press",
        "scroll",
        "drag",
        "navigate",
        "open_app",
        "wait",
    }
)


def step_targets(step: AnyStep) -> list[tuple[str, AnyTarget]]:
    """The targets an action step needs located, by role, in order."""
    match step:
        case ClickStep(click=t) | DoubleClickStep(double_click=t) | RightClickStep(right_click=t):
            return [("at", t)]
        case TypeStep(into=t) if t is not None:
            return [("into", t)]
        case ScrollStep(at=t) if t is not None:
            return [("at", t)]
        case DragStep(drag=spec):
            return [("from", spec.from_), ("to", spec.to)]
    return []


def to_actions(step: AnyStep, points: dict[str, Point]) -> list[Action]:
    """The actions for an action step, given the screen points of its targets.

    Raises:
        ConfigError: When the step's values do not make a valid action (a bad key name).
    """
    try:
        return _build(step, points)
    except ValidationError as e:
        problems = "; ".join(err["msg"] for err in e.errors())
        raise ConfigError(f"invalid {type(step).__name__}: {problems}") from None


def _build(step: AnyStep, points: dict[str, Point]) -> list[Action]:
    match step:
        case ClickStep():
            return [Click(at=points["at"])]
        case DoubleClickStep():
            return [Click(at=points["at"], count=2)]
        case RightClickStep():
            return [Click(at=points["at"], button=MouseButton.RIGHT)]
        case TypeStep(type=value):
            out: list[Action] = [Click(at=points["into"])] if "into" in points else []
            if isinstance(value, SecretRef):
                out.append(TypeText(secret=value.secret, clear_first=step.clear, submit=step.submit))
            else:
                out.append(TypeText(text=str(value), clear_first=step.clear, submit=step.submit))
            return out
        case PressStep(press=press):
            return [KeyPress(keys=key_chord(press))]
        case ScrollStep(scroll=direction, amount=amount):
            return [Scroll(direction=direction, amount=amount, at=points.get("at"))]
        case DragStep():
            return [Drag(path=(points["from"], points["to"]))]
        case NavigateStep(navigate=url):
            return [Navigate(url=url)]
        case OpenAppStep(open_app=name):
            return [OpenApp(name=name)]
        case WaitStep(wait=seconds):
            return [Wait(seconds=seconds)]
    raise ConfigError(f"{type(step).__name__} is not an action step")
