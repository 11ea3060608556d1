"""The action space: one pydantic model per verb, points with coordinate spaces, key names.

Names are imported on first use, so that importing a sub-module (``screenpilot.tools.errors``,
say, which the command line needs to list its registries) does not build the action models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        Reload,
        Scroll,
        ScrollDirection,
        Swipe,
        SwitchTab,
        SystemButton,
        Terminate,
        TypeText,
        Wait,
        action_adapter,
        action_kinds,
        parse_action,
    )
    from screenpilot.tools.keys import CANONICAL_KEYS, Key, UnknownKeyError, normalize_key
    from screenpilot.tools.points import CoordSpace, Point

__all__ = [
    "CANONICAL_KEYS",
    "Action",
    "Answer",
    "Click",
    "CloseTab",
    "CoordSpace",
    "Drag",
    "GoBack",
    "GoForward",
    "Key",
    "KeyPress",
    "LongPress",
    "MouseButton",
    "MouseMove",
    "Navigate",
    "NewTab",
    "OpenApp",
    "Point",
    "Reload",
    "Scroll",
    "ScrollDirection",
    "Swipe",
    "SwitchTab",
    "SystemButton",
    "Terminate",
    "TypeText",
    "UnknownKeyError",
    "Wait",
    "action_adapter",
    "action_kinds",
    "normalize_key",
    "parse_action",
]

_LAZY: dict[str, str] = {
    "Action": "screenpilot.tools.actions",
    "Answer": "screenpilot.tools.actions",
    "Click": "screenpilot.tools.actions",
    "CloseTab": "screenpilot.tools.actions",
    "Drag": "screenpilot.tools.actions",
    "GoBack": "screenpilot.tools.actions",
    "GoForward": "screenpilot.tools.actions",
    "KeyPress": "screenpilot.tools.actions",
    "LongPress": "screenpilot.tools.actions",
    "MouseButton": "screenpilot.tools.actions",
    "MouseMove": "screenpilot.tools.actions",
    "Navigate": "screenpilot.tools.actions",
    "NewTab": "screenpilot.tools.actions",
    "OpenApp": "screenpilot.tools.actions",
    "Reload": "screenpilot.tools.actions",
    "Scroll": "screenpilot.tools.actions",
    "ScrollDirection": "screenpilot.tools.actions",
    "Swipe": "screenpilot.tools.actions",
    "SwitchTab": "screenpilot.tools.actions",
    "SystemButton": "screenpilot.tools.actions",
    "Terminate": "screenpilot.tools.actions",
    "TypeText": "screenpilot.tools.actions",
    "Wait": "screenpilot.tools.actions",
    "action_adapter": "screenpilot.tools.actions",
    "action_kinds": "screenpilot.tools.actions",
    "parse_action": "screenpilot.tools.actions",
    "CANONICAL_KEYS": "screenpilot.tools.keys",
    "Key": "screenpilot.tools.keys",
    "UnknownKeyError": "screenpilot.tools.keys",
    "normalize_key": "screenpilot.tools.keys",
    "CoordSpace": "screenpilot.tools.points",
    "Point": "screenpilot.tools.points",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'screenpilot.tools' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
