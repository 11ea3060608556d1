"""Helpers shared by the workflow tests (a uniquely named module: conftest names clash)."""

from collections.abc import Callable
from pathlib import Path

from screenpilot.environments.observation import Observation
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import Box, Point

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "workflows"


class ScriptedGrounder:
    """A grounding model for tests: answers from a function of (observation, description)."""

    def __init__(self, answer: Callable[[Observation, str], Point | Box | None]) -> None:
        self.answer = answer
        self.queries: list[str] = []

    def locate(self, observation: Observation, description: str) -> Point | Box:
        self.queries.append(description)
        where = self.answer(observation, description)
        if where is None:
            raise ModelOutputError(f"nothing like {description!r}")
        return where
