"""A model-free baseline: match quoted words of the instruction to the screen's elements.

It sees what any policy sees (the instruction and the observation's elements) and knows
nothing about any particular task. It handles two shapes of instruction:

* something quoted to click (``Click on the "Ok" button``): click the element whose
  label is exactly that text (case-insensitively when nothing matches exactly);
* something quoted to enter (``Enter "Kasey" into the text field``): click the first
  empty text field, type the text, then click a submit button when there is one.

Anything else, or nothing matching, ends the run with ``terminate(failure)``. Its
success rate on MiniWoB++ is a floor for models, not a goal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate, TypeText
from screenpilot.tools.options import validate_options

_QUOTED = re.compile(r"[\"“”']([^\"“”']+)[\"“”']")
_ENTER = re.compile(r"^\s*(enter|type)\b", re.IGNORECASE)
_SUBMIT = ("submit", "ok", "search", "send", "done")


class DomMatchOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _visible(elements: Sequence[UIElement]) -> list[UIElement]:
    return [e for e in elements if e.visible and e.enabled and e.box.width > 0 and e.box.height > 0]


def find_labelled(elements: Sequence[UIElement], text: str) -> UIElement | None:
    """The smallest visible element labelled exactly ``text`` (then case-insensitively)."""
    candidates = _visible(elements)
    for same in (lambda a, b: a == b, lambda a, b: a.casefold() == b.casefold()):
        hits = [e for e in candidates if same(e.label.strip(), text)]
        if hits:
            return min(hits, key=lambda e: e.box.width * e.box.height)
    return None


def _click(e: UIElement) -> Click:
    return Click(at=e.box.center)


def _enter(text: str, obs: Observation, done: int) -> Action | Sequence[Action]:
    fields = [e for e in _visible(obs.elements) if e.editable]
    if done == 0:
        if not fields:
            return Terminate(status="failure", reason="no text field to type into")
        return [_click(fields[0]), TypeText(text=text)]
    buttons = [e for e in _visible(obs.elements) if e.label.strip().casefold() in _SUBMIT]
    if done == 1 and buttons:
        return _click(buttons[0])
    return Terminate(status="success", reason="entered the text")


def decide(
    task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
) -> Action | Sequence[Action]:
    """The baseline's whole logic (also usable on its own in tests)."""
    quoted = _QUOTED.findall(task)
    if not quoted:
        return Terminate(status="failure", reason="nothing quoted in the instruction")
    if _ENTER.match(task):
        return _enter(quoted[0], obs, len(history))
    if history:
        return Terminate(status="success", reason="clicked the target")
    target = find_labelled(obs.elements, quoted[0])
    if target is None:
        return Terminate(status="failure", reason=f"no element labelled {quoted[0]!r}")
    return _click(target)


def from_options(options: Mapping[str, Any]) -> FunctionPolicy:
    validate_options(DomMatchOptions, options, what="the dom-match policy")
    return FunctionPolicy(decide, name="dom-match")
