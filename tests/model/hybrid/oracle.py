"""A scripted Qwen3-VL for the hybrid task set: answers from the page's ground truth.

It reads the instruction it was given (the first user turn's text, as the cookbook style
sends it), carries out the parts of the task whose phrase that instruction contains, one
operation per answer (clicking a field before typing into it), and terminates with
success once they all hold. Positions come from the elements' boxes, never from the
screenshot; answers use the cookbook's ``computer_use`` tool in 0..1000 coordinates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.model.hybrid.tasks import HybridTask, Op, Part, Truth
from tests.model.qwen_server import Request

TRUTH_JS = """() => {
  const els = {};
  document.querySelectorAll('[data-t]').forEach((el) => {
    const r = el.getBoundingClientRect();
    els[el.dataset.t] = {c: [r.x + r.width / 2, r.y + r.height / 2],
      value: el.value === undefined ? null : el.value,
      checked: el.type === 'checkbox' ? el.checked : null};
  });
  const a = document.activeElement;
  return {els: els, state: JSON.parse(JSON.stringify(window.state || {})),
          focus: a && a.dataset ? (a.dataset.t || null) : null};
}"""


def _norm(text: str) -> str:
    return " ".join(text.strip().rstrip(".。!?").split()).lower()


def instruction_of(request: Request) -> str:
    """The task text the policy sent (the first user turn's text)."""
    for m in request.messages:
        if m["role"] != "user":
            continue
        content = m["content"]
        if isinstance(content, str):
            return content
        return "".join(p["text"] for p in content if p["type"] == "text")
    return ""


def call(args: dict[str, Any]) -> str:
    return "<tool_call>\n" + json.dumps({"name": "computer_use", "arguments": args}) + "\n</tool_call>"


class TaskOracle:
    """Answers one task's requests.

    Args:
        task: The task being run.
        truth: Returns the latest ground-truth snapshot (taken on the environment's thread).
        viewport: ``(width, height)`` in CSS pixels.
    """

    def __init__(self, task: HybridTask, truth: Callable[[], Truth], viewport: tuple[int, int]) -> None:
        self.task = task
        self.truth = truth
        self.viewport = viewport
        self.calls = 0

    def parts_for(self, instruction: str) -> list[Part]:
        said = _norm(instruction)
        return [p for p in self.task.parts if _norm(p.phrase) in said]

    def __call__(self, request: Request) -> str:
        self.calls += 1
        parts = self.parts_for(instruction_of(request))
        t = self.truth()
        for part in parts:
            for op in part.ops:
                if not op.done(t):
                    return f"Action: {op.kind} {op.target}.\n" + self._answer(op, t)
        if not parts:
            return "Action: give up.\n" + call({"action": "terminate", "status": "failure"})
        return "Action: finished.\n" + call({"action": "terminate", "status": "success"})

    def _point(self, t: Truth, target: str) -> list[int]:
        x, y = t["els"][target]["c"]
        return [round(x / self.viewport[0] * 1000), round(y / self.viewport[1] * 1000)]

    def _answer(self, op: Op, t: Truth) -> str:
        if op.kind == "type":
            if t["focus"] != op.target:
                return call({"action": "left_click", "coordinate": self._point(t, op.target)})
            return call({"action": "type", "text": op.value})
        if op.kind == "key":
            if op.target and t["focus"] != op.target:
                return call({"action": "left_click", "coordinate": self._point(t, op.target)})
            return call({"action": "key", "keys": op.value})
        # click, and check / uncheck (a click toggles the box)
        return call({"action": "left_click", "coordinate": self._point(t, op.target)})
