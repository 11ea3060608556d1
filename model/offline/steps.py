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
    "choose",
    "check",
    "uncheck",
    "focus",
    "expand",
    "collapse",
    "close",
    "set",
    "drag",
    "highlight",
    "copy",
    "paste",
    "submit",
    "find",
    "open",
    "wait_text",
    "wait",
    "answer",
    "unknown",
]
"""What a step does.

``choose`` picks an item by its text and acts as the item needs (tick a checkbox, click a
radio button, tab, link or list option); ``set`` puts a value into a value control (slider,
spinner, date, time, colour, or a plain field); ``submit`` presses the form's submit
button; ``find`` only brings a target into view; ``unknown`` carries words that no frame
placed, matched against the screen when the step is reached.
"""

Transform = Literal["upper", "lower", "title"]
"""How a value is rewritten before it is typed."""


class Step(BaseModel):
    """One imperative step.

    Attributes:
        kind: What to do.
        target: Description of the element acted on (text plus hints), when any.
        text: Text to type, option to select, value to set, text to wait for, answer, URL.
        secret: Name of a secret to type instead of ``text`` (resolved by the agent).
        value_ref: A description of a value to read off the screen ("the value of Last
            name", "the 2nd word in the paragraph"); ``"$it"`` is the value the previous
            step read (``find`` or ``copy``).
        transform: Rewrite of the value before typing (case).
        keys: Canonical key names for ``press`` (one chord).
        direction: Scroll or drag direction.
        amount: Scroll notches, wait seconds, drag distance in items.
        every: Act on every match (``on all posts``, ``both fields``); with ``count`` on
            that many.
        count: How many matches to act on, when a number was given.
        scope: Text of the record (row, post, card, dialog) the target lies in.
        dest: Where a drag ends (a description) or a position (``"3"``: the 3rd place).
        ends: For ``type``: the value must also end with this; ``text`` is its start, and
            the rest comes from the field's suggestions (autocomplete).
        explore: Look for the target beyond the screen: scroll, tabs, sections, pages.
        clause: The clause this step came from, for messages.
    """

    model_config = ConfigDict(frozen=True)

    kind: StepKind
    target: str | None = None
    text: str | None = None
    secret: str | None = None
    value_ref: str | None = None
    transform: Transform | None = None
    keys: tuple[str, ...] = ()
    direction: Literal["up", "down", "left", "right"] | None = None
    amount: float | None = None
    every: bool = False
    count: int | None = None
    scope: str | None = None
    dest: str | None = None
    ends: str | None = None
    explore: bool = False
    clause: str = ""

    def describe(self) -> str:
        """A one-line rendering for thoughts and messages (never a secret's value)."""
        parts: list[str] = [self.kind]
        if self.secret is not None:
            parts.append(f"secret:{self.secret}")
        elif self.value_ref is not None:
            parts.append(f"<{self.value_ref}>")
        elif self.text is not None:
            parts.append(repr(self.text))
        if self.transform:
            parts.append(f"({self.transform} case)")
        if self.keys:
            parts.append("+".join(self.keys))
        if self.direction:
            parts.append(self.direction)
        if self.every:
            parts.append("every" if self.count is None else f"{self.count} of")
        if self.target:
            parts.append(f"-> {self.target}")
        if self.scope:
            parts.append(f"in {self.scope!r}")
        if self.dest:
            parts.append(f"onto {self.dest}")
        if self.ends:
            parts.append(f"…{self.ends!r}")
        return " ".join(parts)
