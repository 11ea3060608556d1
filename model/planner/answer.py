"""The planner's answer: one JSON action with target descriptions, parsed without eval.

::

    {"thought": "...", "action": "click", "target": "the Sign in button"}
    {"action": "type", "target": "the Username field", "text": "alice"}
    {"action": "key", "keys": ["enter"]}       {"action": "scroll", "direction": "down"}
    {"action": "wait", "seconds": 1}           {"action": "navigate", "url": "https://..."}
    {"action": "done"}   {"action": "fail", "reason": "..."}   {"action": "answer", "text": "..."}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from screenpilot.model.answer_text import decode_span, object_spans, refuse_long
from screenpilot.tools.errors import ModelOutputError

PlanVerb = Literal[
    "click",
    "double_click",
    "right_click",
    "type",
    "key",
    "scroll",
    "wait",
    "navigate",
    "done",
    "fail",
    "answer",
]
FORMAT_HINT = 'Answer with one JSON object such as {"thought": "...", "action": "click", "target": "..."}.'


class PlannedStep(BaseModel):
    """One action as the planner described it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    action: PlanVerb
    thought: str = ""
    target: str = ""
    text: str = ""
    keys: tuple[str, ...] = ()
    direction: Literal["up", "down", "left", "right"] = "down"
    seconds: float = Field(default=1.0, ge=0.0, le=60.0)
    url: str = ""
    reason: str = ""


def _objects(text: str) -> list[dict[str, Any]]:
    """JSON objects in ``text`` that mention ``"action"``, in order (linear time: see
    :mod:`screenpilot.model.answer_text`)."""
    found: list[dict[str, Any]] = []
    for span, inner in object_spans(text):
        if text.find('"action"', *span) < 0:
            continue
        value = decode_span(text, span)
        values = [value] if value is not None else [decode_span(text, s) for s in inner]
        found.extend(v for v in values if isinstance(v, dict))
    return found


def parse_plan(text: str) -> PlannedStep:
    """The first JSON object with an ``action`` in ``text``.

    Raises:
        ModelOutputError: When there is none, or it is not a valid action.
    """
    refuse_long(text, FORMAT_HINT)
    for obj in _objects(text):
        if "action" not in obj:
            continue
        if isinstance(obj.get("keys"), str):
            obj["keys"] = obj["keys"].replace("+", " ").split()
        try:
            step = PlannedStep.model_validate(obj)
        except ValidationError as e:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
            )
            raise ModelOutputError(f"invalid action: {problems}. {FORMAT_HINT}", raw=text) from None
        needs = {"click": "target", "double_click": "target", "right_click": "target", "navigate": "url"}
        if step.action in needs and not getattr(step, needs[step.action]):
            raise ModelOutputError(f'"{step.action}" needs "{needs[step.action]}". {FORMAT_HINT}', raw=text)
        if step.action == "type" and not step.text:
            raise ModelOutputError(f'"type" needs "text". {FORMAT_HINT}', raw=text)
        return step
    raise ModelOutputError(f"the answer holds no JSON action. {FORMAT_HINT}", raw=text)
