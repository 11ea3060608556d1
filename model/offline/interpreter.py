"""Turn imperative instructions (English or Chinese) into candidate steps, clause by clause.

The instruction is cut into clauses (:mod:`~screenpilot.model.offline.segment`); each
clause is read by the frames of its verb (:mod:`~screenpilot.model.offline.frames_en`,
:mod:`~screenpilot.model.offline.frames_zh`), which propose candidate parses with priors.
Every clause keeps all its candidates: the policy chooses among them by what is on the
screen when the clause is reached (:mod:`~screenpilot.model.offline.choose`). A clause no
frame reads becomes an ``unknown`` step holding its words, matched against the screen
when reached, so one strange clause never drops the whole task. An instruction that is a
record of fields ("Name: Ada; City: Paris", or a JSON object) becomes one ``set`` step per
field. Nothing here knows about particular pages or tasks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from screenpilot.model.offline import frames_en, frames_zh
from screenpilot.model.offline.frames import Ctx, Parse, replace_step, with_scope
from screenpilot.model.offline.segment import QUOTE_RE, Masked, split
from screenpilot.model.offline.steps import Step
from screenpilot.tools.errors import ModelOutputError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_FIELD_LINE = re.compile(r"^\s*([^:：;；]{1,40}?)\s*[:：]\s*([^;；\n]+?)\s*$")


@dataclass(frozen=True)
class ClauseReading:
    """The candidate parses of one clause, best prior first (none: not understood).

    Attributes:
        clause: The clause as written (quotes restored), for messages.
        parses: Candidates, best prior first.
    """

    clause: str
    parses: tuple[Parse, ...]

    def best(self) -> tuple[Step, ...]:
        """The steps of the best-prior candidate, or one ``unknown`` step."""
        if not self.parses:
            return (Step(kind="unknown", text=self.clause, clause=self.clause),)
        return self.parses[0].steps


def read(instruction: str) -> list[ClauseReading]:
    """Every clause of ``instruction`` with its candidate parses.

    Raises:
        ModelOutputError: When the instruction is empty.
    """
    if not instruction.strip():
        raise ModelOutputError("the instruction is empty")
    record = _field_record(instruction)
    if record:
        steps = tuple(Step(kind="set", text=v, target=f'"{k}"', clause=f"{k}: {v}") for k, v in record)
        return [ClauseReading(instruction.strip(), (Parse(steps, 0.9, "field record"),))]
    masked, clauses = split(instruction)
    ctx = Ctx(masked)
    out = []
    last_target: str | None = None
    for clause in clauses:
        parses = _parse(clause, ctx)
        shown = masked.restore(clause, quote=True).strip()
        fixed = []
        for p in parses:
            steps = tuple(replace_step(s, clause=shown) for s in with_scope(p.steps, ctx))
            steps = _resolve_it(steps, last_target)
            fixed.append(Parse(steps, p.prior, p.frame))
        fixed.sort(key=lambda p: -p.prior)
        reading = ClauseReading(shown, tuple(_dedupe(fixed)))
        last_target = _last_target(reading.best()) or last_target
        out.append(reading)
    if not out:
        raise ModelOutputError("the instruction is empty")
    return out


def interpret(instruction: str) -> list[Step]:
    """The best-prior steps of ``instruction`` (no screen to choose by).

    Raises:
        ModelOutputError: When the instruction is empty.
    """
    return [s for reading in read(instruction) for s in reading.best()]


def _parse(clause: str, ctx: Ctx) -> list[Parse]:
    if _CJK.search(QUOTE_RE.sub("", clause.replace("\x00", ""))):
        return frames_zh.parse_clause(clause, ctx) + frames_zh.zh_scroll_prefix(clause, ctx)
    return frames_en.parse_clause(clause, ctx)


def _resolve_it(steps: tuple[Step, ...], last: str | None) -> tuple[Step, ...]:
    """ "…, then click on it": a pronoun target is the previous clause's target."""
    if last is None:
        return steps
    return tuple(replace_step(s, target=last, explore=True) if s.target == "$it" else s for s in steps)


def _last_target(steps: tuple[Step, ...]) -> str | None:
    for s in reversed(steps):
        if s.target and s.target != "$it" and s.kind in ("find", "copy", "highlight"):
            return s.target
    return None


def _dedupe(parses: list[Parse]) -> list[Parse]:
    seen: set[tuple[Step, ...]] = set()
    out = []
    for p in parses:
        if p.steps not in seen:
            seen.add(p.steps)
            out.append(p)
    return out


def _field_record(instruction: str) -> list[tuple[str, str]]:
    """Fields of an instruction that is a record: a JSON object, or "Key: value" parts."""
    text = instruction.strip()
    if text.startswith("{") and text.endswith("}"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and data:
            return [(str(k), str(v)) for k, v in data.items() if not isinstance(v, dict | list)]
    parts = [p for p in re.split(r"[;；\n]", text) if p.strip()]
    fields = [_FIELD_LINE.match(p) for p in parts]
    if len(parts) >= 2 and all(fields):
        return [(m.group(1), m.group(2)) for m in fields if m]
    return []


__all__ = ["ClauseReading", "Masked", "interpret", "read"]
