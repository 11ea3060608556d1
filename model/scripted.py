"""Policies for tests and for users' own tests: a fixed script, or a plain function."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.observation import Observation
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Action, Terminate
from screenpilot.tools.errors import ModelOutputError


class Delay(BaseModel):
    """A script item that makes the policy hang (to exercise model timeouts)."""

    model_config = ConfigDict(frozen=True)

    seconds: float


ScriptItem = Action | Sequence[Action] | Decision | BaseException | Delay


def _as_decision(item: Action | Sequence[Action] | Decision, name: str) -> Decision:
    if isinstance(item, Decision):
        return item
    actions = (item,) if isinstance(item, BaseModel) else tuple(item)
    return Decision(actions=actions, thought="scripted", model=name)


class ScriptedPolicy:
    """Plays back a list of items, one per ``predict`` call.

    Items are actions, lists of actions, decisions, exceptions (raised, to simulate
    transport errors and malformed output) or :class:`Delay`. When the script runs out the
    policy terminates with failure, or raises if ``strict``.
    """

    def __init__(self, script: Iterable[ScriptItem], *, name: str = "scripted", strict: bool = False) -> None:
        self._items = list(script)
        self._lock = threading.Lock()
        self._name = name
        self._strict = strict
        self.calls: list[tuple[str, tuple[Feedback, ...]]] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def remaining(self) -> int:
        return len(self._items)

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        with self._lock:
            self.calls.append((task, tuple(feedback)))
            item = self._items.pop(0) if self._items else None
        if item is None:
            if self._strict:
                raise ModelOutputError("the script has no more items")
            return Decision(
                actions=(Terminate(status="failure", reason="script exhausted"),), model=self._name
            )
        if isinstance(item, Delay):
            time.sleep(item.seconds)
            return self.predict(task, observation, history, feedback)
        if isinstance(item, BaseException):
            raise item
        return _as_decision(item, self._name)


PolicyFunction = Callable[
    [str, Observation, Sequence[HistoryStep], Sequence[Feedback]],
    Action | Sequence[Action] | Decision,
]


class FunctionPolicy:
    """Wraps a function ``(task, observation, history, feedback) -> action(s) | Decision``."""

    def __init__(self, fn: PolicyFunction, *, name: str = "function") -> None:
        self._fn = fn
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        start = time.monotonic()
        decision = _as_decision(self._fn(task, observation, history, feedback), self._name)
        return decision.model_copy(update={"latency_s": time.monotonic() - start})
