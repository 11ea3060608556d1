"""Environments: the protocol, observations, coordinate geometry and platform drivers."""

from screenpilot.environments.base import Capabilities, Environment, SettleResult, StepResult
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation, TabInfo, UIElement

__all__ = [
    "Capabilities",
    "Environment",
    "Observation",
    "ScreenGeometry",
    "SettleResult",
    "Size",
    "StepResult",
    "TabInfo",
    "UIElement",
]
