"""The policy seam: anything that turns a task and a screen into a decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from screenpilot.environments.observation import Observation
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.points import Box, Point


@runtime_checkable
class Policy(Protocol):
    """Chooses the next action(s).

    Implementations raise :class:`~tools.errors.ModelTransportError` for transient
    failures and :class:`~tools.errors.ModelOutputError` for answers that cannot be turned
    into a decision; the agent retries the first and re-asks the second, passing the error
    back in ``feedback``.
    """

    @property
    def name(self) -> str: ...

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """Decide what to do next on ``observation``."""
        ...


@runtime_checkable
class Grounder(Protocol):
    """Finds the location of a described element on a screen."""

    def locate(self, observation: Observation, description: str) -> Point | Box:
        """Return where ``description`` is, in any coordinate space.

        Raises:
            tools.errors.ModelOutputError: When nothing matching was found.
        """
        ...
