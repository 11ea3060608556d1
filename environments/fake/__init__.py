"""A simulated GUI for tests: part of the library so users can test their own workflows."""

from screenpilot.environments.fake.env import FakeConfig, FakeEnvironment
from screenpilot.environments.fake.spec import (
    AppSpec,
    DialogSpec,
    FaultSpec,
    Rect,
    ScreenSpec,
    Widget,
    login_app,
)
from screenpilot.environments.fake.state import FakeState

__all__ = [
    "AppSpec",
    "DialogSpec",
    "FakeConfig",
    "FakeEnvironment",
    "FakeState",
    "FaultSpec",
    "Rect",
    "ScreenSpec",
    "Widget",
    "login_app",
]
