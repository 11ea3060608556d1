"""The planner's prompt: task, steps so far, the screen as a listing (and optionally an image)."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.types import Feedback, HistoryStep

VERSION = "planner/1"

SYSTEM = """You operate a computer for a user. Each turn you see the task, the steps taken so \
far and what is on the screen now, and you choose the next single action. Another model \
finds the elements you name, so describe each target by its visible text, role and \
position (for example "the blue Sign in button below the password field").

Answer with one JSON object and nothing else after it:
{"thought": "<one sentence>", "action": "<action>", ...}

Actions:
- {"action": "click", "target": "<description>"}  (also "double_click", "right_click")
- {"action": "type", "target": "<the field, or empty for the focused one>", "text": "<text>"}
- {"action": "key", "keys": ["ctrl", "a"]}
- {"action": "scroll", "direction": "down"}  (up, down, left, right)
- {"action": "wait", "seconds": 1}
- {"action": "navigate", "url": "<url>"}
- {"action": "answer", "text": "<the answer the task asks for>"}
- {"action": "done"} when the task is complete, {"action": "fail", "reason": "..."} when it cannot be."""

SECRETS = """
Some values are secret and you cannot see them. To type one, use "text": "{{secret:NAME}}". \
Available secrets: {names}."""


def summary(step: HistoryStep) -> str:
    """One line for an earlier step: what was decided and how it went."""
    what = step.thought.splitlines()[0] if step.thought else "; ".join(a.describe() for a in step.actions)
    outcome = f" -> {step.outcome}" if step.outcome else ""
    return f"{step.index + 1}. {what}{outcome}"


def planner_messages(
    task: str,
    observation: Observation,
    history: Sequence[HistoryStep],
    feedback: Sequence[Feedback],
    screen: str,
    *,
    image: Image.Image | None = None,
    secrets: Sequence[str] = (),
) -> tuple[ChatMessage, ...]:
    """The planner's conversation for one step (a re-ask continues it)."""
    system = SYSTEM + (SECRETS.replace("{names}", ", ".join(secrets)) if secrets else "")
    lines = [f"Task: {task}", "", "Steps so far:"]
    lines += [summary(s) for s in history] or ["(none)"]
    if observation.url:
        lines += ["", f"Current URL: {observation.url}"]
    lines += ["", "Screen:", screen]
    notes = [f.message for f in feedback if f.kind != "invalid_output"]
    if notes:
        lines += ["", "Notes:", *notes]
    parts: list[TextPart | ImagePart] = [TextPart(text="\n".join(lines))]
    if image is not None:
        parts.insert(0, ImagePart(image=image))
    messages = [ChatMessage.text("system", system), ChatMessage(role="user", parts=tuple(parts))]
    for f in feedback:
        if f.kind == "invalid_output":
            messages.append(ChatMessage.text("assistant", f.raw or "(empty answer)"))
            messages.append(ChatMessage.text("user", f"That could not be used: {f.message}"))
    return tuple(messages)
