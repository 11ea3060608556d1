"""Environments: the protocol, observations, coordinate geometry and platform drivers."""

from environments.base import Capabilities, Environment, SettleResult, StepResult
from environments.geometry import ScreenGeometry, Size
from environments.observation import Observation, TabInfo, UIElement

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
