"""Printing steps and results on a terminal (and in CI logs)."""

from __future__ import annotations

import sys

from screenpilot.agent.act import verb_of
from screenpilot.agent.result import RunResult, StepEvent
from screenpilot.agent.secrets import SecretStore


class StepPrinter:
    """A step callback that prints one line per step, as it happens."""

    def __init__(self, *, quiet: bool = False, secrets: SecretStore | None = None) -> None:
        self.quiet = quiet
        self.secrets = secrets or SecretStore()

    def __call__(self, event: StepEvent) -> None:
        if self.quiet:
            return
        if event.error:
            line = f"step {event.index + 1:>3}  ✗ {event.error}"
        else:
            parts = []
            for o in event.outcomes:
                mark = "✓" if o.ok else "✗"
                parts.append(f"{o.action.describe()} {mark} {o.message}".rstrip())
            line = f"step {event.index + 1:>3}  " + " | ".join(parts) + f"  [{stage_summary(event)}]"
        if event.thought and event.thought != "scripted":
            line += f"\n          thought: {event.thought.strip().splitlines()[0][:160]}"
        for o in event.outcomes:
            if o.effect is not None and o.ok:
                line += f"\n          effect: {o.effect.summary(verb_of(o.action))[:160]}"
        print(self.secrets.redact(line), flush=True)


def stage_summary(event: StepEvent) -> str:
    """The stages a step spent time in, e.g. ``locate 0.31s act 0.01s`` (workflow steps locate,
    agent steps predict); the act stage is always shown."""
    times = event.times.model_dump()
    shown = [k for k, v in times.items() if k != "observe_s" and (v >= 0.005 or k == "act_s")]
    return " ".join(f"{k.removesuffix('_s')} {times[k]:.2f}s" for k in shown)


def print_result(result: RunResult) -> None:
    answer = f" answer: {result.answer}" if result.answer is not None else ""
    where = f" record: {result.run_dir}" if result.run_dir else ""
    print(
        f"{result.status}: {result.reason} ({result.steps} steps, {result.elapsed_s:.1f}s).{answer}{where}",
        file=sys.stdout,
        flush=True,
    )
