"""Shared pieces of the frame grammar: candidate parses and slot helpers.

A frame reads one clause (verb known, quoted text masked) and proposes one or more
:class:`Parse` es, each with a prior saying how well the words fit it. The interpreter
keeps every candidate; the policy picks among them by what is on the screen when the
clause is reached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from screenpilot.model.offline.segment import TOKEN_RE, Masked
from screenpilot.model.offline.steps import Step
from screenpilot.model.offline.values import Value


@dataclass(frozen=True)
class Parse:
    """One reading of a clause.

    Attributes:
        steps: What to do (may be empty: "select nothing").
        prior: How well the words fit this reading (0..1), before the screen is seen.
        frame: The frame's name, for messages.
    """

    steps: tuple[Step, ...]
    prior: float
    frame: str = ""


@dataclass
class Ctx:
    """What frames need besides the clause: the literals, and context from earlier clauses.

    Attributes:
        masked: The instruction with its literals.
        scope: A record anchor set by an earlier clause ("Find the email by Ann, …").
        default_target: A target set by "Use the X to …".
        explore: Whether an earlier clause asked to look around ("Expand the sections to find …").
    """

    masked: Masked
    scope: str | None = None
    default_target: str | None = None
    explore: bool = False
    notes: list[str] = field(default_factory=list)

    def target(self, text: str) -> str:
        """A target description: quotes kept, so the grounder matches quoted text exactly."""
        out = self.masked.restore(text, quote=True).strip(" ,.")
        out = re.sub(r"(?<=[\u4e00-\u9fff\"])\s*(?:中|里|内|里面|上)?都$", "", out)
        return re.sub(r"(?<=[\u4e00-\u9fff\"])\s*(?:中|里|内|里面|上)$", "", out)

    def literal(self, text: str) -> str:
        """The text of a slot: a quoted literal as is (edge spaces kept), else the words."""
        only = TOKEN_RE.fullmatch(text.strip())
        if only:
            return self.masked.literals[int(only.group(1))]
        return self.masked.restore(text, quote=False).strip()


def value_step(kind: str, value: Value, **kw: object) -> Step:
    """A step carrying ``value`` (literal, secret or reference) in the right field."""
    if value.secret is not None:
        return Step(kind=kind, secret=value.secret, **kw)
    if value.ref is not None:
        return Step(kind=kind, value_ref=value.ref, **kw)
    return Step(kind=kind, text=value.text, **kw)


def with_scope(steps: tuple[Step, ...], ctx: Ctx) -> tuple[Step, ...]:
    """Steps with the context's record scope and exploration applied where they have none.

    The scope goes to a clause's first step with a target only: "forward that email to Bo"
    presses Forward in the email's record, then types and sends in what that opened.
    """
    out = []
    scoped = any(s.scope for s in steps)
    for step in steps:
        new = step
        if ctx.scope and not scoped and new.target and new.kind not in ("type", "press", "wait"):
            new = replace_step(new, scope=ctx.scope)
            scoped = True
        if ctx.explore and new.target:
            new = replace_step(new, explore=True)
        out.append(new)
    return tuple(out)


def replace_step(step: Step, **update: object) -> Step:
    """A copy of ``step`` with fields replaced."""
    return step.model_copy(update=update)


def best(parses: list[Parse]) -> Parse | None:
    """The parse with the highest prior."""
    return max(parses, key=lambda p: p.prior, default=None)


def items(text: str) -> list[str]:
    """Split "A, B and C" / "A、B和C" into items (quoted items stay whole)."""
    parts = re.split(r"\s*(?:,\s*and\s+|,\s*or\s+|,|、|，|\band\b|\bor\b|和|以及|及|与)\s*", text.strip())
    return [p.strip() for p in parts if p.strip()]


__all__ = ["Ctx", "Parse", "best", "items", "replace", "replace_step", "value_step", "with_scope"]
