"""The environment seam: the protocol every platform driver implements."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.capabilities import Capabilities, InputKind
from screenpilot.environments.effects import Effect
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action

__all__ = [
    "Capabilities",
    "Environment",
    "InputKind",
    "SettleResult",
    "StepResult",
    "SupportsActionTimeout",
    "SupportsEffects",
    "SupportsEvaluate",
]


class StepResult(BaseModel):
    """What executing one action did.

    Attributes:
        ok: Whether the action was carried out.
        message: What happened, written for the model when it matters.
        elapsed_s: Time spent executing (settling excluded).
        notices: Side effects worth reporting (a new tab opened, a dialog was accepted).
    """

    model_config = ConfigDict(frozen=True)

    ok: bool = True
    message: str = ""
    elapsed_s: float = 0.0
    notices: tuple[str, ...] = ()


class SettleResult(BaseModel):
    """How a settle wait ended.

    Attributes:
        stable: Whether the screen stopped changing within the bound.
        elapsed_s: Time the wait took.
        checks: Frame comparisons made (0 for environments that settle otherwise).
    """

    model_config = ConfigDict(frozen=True)

    stable: bool
    elapsed_s: float = Field(ge=0.0)
    checks: int = Field(default=0, ge=0)


@runtime_checkable
class Environment(Protocol):
    """A platform the agent can observe and act on.

    Every method is called on the thread that created the environment (Playwright and
    X11 clients are bound to their thread), so drivers enforce their own time limits; see
    :class:`SupportsActionTimeout`. Drivers raise only :mod:`screenpilot.tools.errors` classes:
    ``DriverError`` for an action that failed, ``EnvTimeout`` and ``EnvCrashed`` for the
    environment itself, ``ActionRejected`` for what its own guards refuse, ``Aborted`` for
    its kill switch.
    """

    @property
    def capabilities(self) -> Capabilities: ...

    def reset(self) -> Observation:
        """Bring the environment to its start state and observe it."""
        ...

    def observe(self) -> Observation:
        """Capture the current state."""
        ...

    def execute(self, action: Action) -> StepResult:
        """Carry out one action (never ``answer`` or ``terminate``)."""
        ...

    def settle(self, timeout_s: float) -> SettleResult:
        """Wait, bounded by ``timeout_s``, until the screen stops changing."""
        ...

    def close(self) -> None:
        """Release everything the environment holds. Safe to call twice."""
        ...


@runtime_checkable
class SupportsActionTimeout(Protocol):
    """An environment that bounds each action itself and raises ``EnvTimeout`` past it."""

    def set_action_timeout(self, seconds: float) -> None: ...


@runtime_checkable
class SupportsEvaluate(Protocol):
    """An environment that evaluates JavaScript in its current page.

    Environments that implement it say so with ``capabilities.scripting`` (the contract
    checker holds them to it).
    """

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """The JSON-able result of the JavaScript ``expression`` (a function is called with ``arg``)."""
        ...


@runtime_checkable
class SupportsEffects(Protocol):
    """An environment that can tell what an action hit and what it changed.

    The act pipeline calls :meth:`begin_effect` right before executing an action and
    :meth:`end_effect` after the screen settled. Both are cheap and never raise for a page
    or screen that cannot be read (they return less instead).
    """

    def begin_effect(self, action: Action, before: Observation) -> None:
        """Hit-test ``action``'s point and remember the state to compare against.

        Args:
            action: The action about to be executed (secrets already resolved).
            before: The observation the action was decided on.
        """
        ...

    def end_effect(self) -> Effect:
        """What changed since :meth:`begin_effect` (an empty effect when it was not called)."""
        ...
