"""A browser environment that snapshots the page's ground truth on every observation."""

from __future__ import annotations

from typing import Any

from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action


class TruthRecorder:
    """Delegates to a browser environment and evaluates ``truth_js`` on each observation, on
    the environment's own thread (a scripted model or oracle reads ``truth`` from another)."""

    def __init__(self, env: BrowserEnvironment, truth_js: str, initial: Any) -> None:
        self.env = env
        self.truth_js = truth_js
        self.truth: Any = initial

    @property
    def capabilities(self) -> Capabilities:
        return self.env.capabilities

    def _snap(self, obs: Observation) -> Observation:
        self.truth = self.env.evaluate(self.truth_js)
        return obs

    def reset(self) -> Observation:
        return self._snap(self.env.reset())

    def observe(self) -> Observation:
        return self._snap(self.env.observe())

    def execute(self, action: Action) -> StepResult:
        return self.env.execute(action)

    def settle(self, timeout_s: float) -> SettleResult:
        return self.env.settle(timeout_s)

    def set_action_timeout(self, seconds: float) -> None:
        self.env.set_action_timeout(seconds)

    def close(self) -> None:
        self.env.close()
