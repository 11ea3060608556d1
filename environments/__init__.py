"""Environments: the protocol, observations, coordinate geometry and platform drivers."""

from screenpilot.environments.base import (
    Capabilities,
    Environment,
    InputKind,
    SettleResult,
    StepResult,
    SupportsEvaluate,
)
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation, TabInfo, UIElement

__all__ = [
    "Capabilities",
    "Environment",
    "InputKind",
    "Observation",
    "ScreenGeometry",
    "SettleResult",
    "Size",
    "StepResult",
    "SupportsEvaluate",
    "TabInfo",
    "UIElement",
]
