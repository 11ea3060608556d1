"""Which steps become samples, and the answer each one teaches.

A step is kept when it is evidence of a right move: no error, no re-ask (the agent
re-prompted after an unusable answer or a loop warning), every action carried out, and every
action the environment measures (all but ``wait``, ``answer`` and ``terminate``) recorded
with an effect that changed something and did not land on a cover. Environments that
cannot measure effects record none; their steps count as verified only when the caller
allows unmeasured effects. The answer is each action as a Qwen tool call in the prompt's
coordinate convention; an action with no such form drops the step.
"""

from __future__ import annotations

from collections.abc import Sequence

from screenpilot.benchmarks.finetune.replay import ReplayedStep
from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.qwen.tool_calls import ToolCallDict, calls_for, render_calls
from screenpilot.tools.actions import TERMINAL_KINDS, Action, Terminate

MEASURED_EXEMPT = frozenset({*TERMINAL_KINDS, "wait"})
"""Actions no environment measures an effect for."""


def drop_reason(step: ReplayedStep, *, allow_unmeasured: bool = False) -> str | None:
    """Why ``step`` is not a sample, or ``None`` when it is one.

    Reasons: ``failed`` (an error, or an action not carried out), ``re-asked``,
    ``gave up`` (terminate with failure), ``unmeasured`` (no effect recorded),
    ``no effect`` (nothing changed, or the point hit a cover).
    """
    event = step.event
    if event.error is not None or any(not o.ok for o in event.outcomes):
        return "failed"
    if event.invalid_outputs or step.after_reask:
        return "re-asked"
    for outcome in event.outcomes:
        if isinstance(outcome.action, Terminate) and outcome.action.status != "success":
            return "gave up"
        if outcome.action.action in MEASURED_EXEMPT:
            continue
        effect = outcome.effect
        if effect is None:
            if not allow_unmeasured:
                return "unmeasured"
        elif not effect.changed or effect.covered:
            return "no effect"
    return None


def answer_of(actions: Sequence[Action], tools: Sequence[str], mapper: CoordinateMapper) -> str | None:
    """The answer text for ``actions`` (one tool call each, a submit adds a key press), or
    ``None`` when one of them cannot be written as a call of the offered tools."""
    calls: list[ToolCallDict] = []
    for action in actions:
        found = calls_for(action, tools, mapper)
        if found is None:
            return None
        calls.extend(found)
    return render_calls(calls) if calls else None
