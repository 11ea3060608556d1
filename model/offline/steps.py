"""The steps an instruction turns into."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

StepKind = Literal[
    "click",
    "double_click",
    "right_click",
    "hover",
    "type",
    "clear",
    "press",
    "scroll",
    "select",
    "check",
    "uncheck",
    "open",
    "wait_text",
    "wait",
    "answer",
]


class Step(BaseModel):
    """One imperative step.

    Attributes:
        kind: What to do.
        target: Description of the element acted on (text plus hints), when any.
        text: Text to type, option to select, text to wait for, answer, or URL.
        keys: Canonical key names for ``press`` (one chord).
        direction: Scroll direction.
        amount: Scroll notches or wait seconds.
        clause: The clause this step came from, for messages.
    """

    model_config = ConfigDict(frozen=True)

    kind: StepKind
    target: str | None = None
    text: str | None = None
    keys: tuple[str, ...] = ()
    direction: Literal["up", "down", "left", "right"] | None = None
    amount: float | None = None
    clause: str = ""

    def describe(self) -> str:
        """A one-line rendering for thoughts and messages."""
        parts: list[str] = [self.kind]
        if self.text is not None:
            parts.append(repr(self.text))
        if self.keys:
            parts.append("+".join(self.keys))
        if self.direction:
            parts.append(self.direction)
        if self.target:
            parts.append(f"-> {self.target}")
        return " ".join(parts)
