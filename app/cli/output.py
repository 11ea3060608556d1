"""Printing steps and results on a terminal (and in CI logs), as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from screenpilot.agent.act import verb_of
from screenpilot.agent.result import RunResult, StepEvent
from screenpilot.agent.secrets import SecretStore
from screenpilot.app.cli.exit_codes import EXIT_CODES, ExitCode
from screenpilot.app.cli.failures import error_class
from screenpilot.tools.errors import ConfigError


class StepPrinter:
    """A step callback that prints one line per step, as it happens."""

    def __init__(
        self, *, quiet: bool = False, secrets: SecretStore | None = None, stream: TextIO | None = None
    ) -> None:
        self.quiet = quiet
        self.secrets = secrets or SecretStore()
        self.stream = stream

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
        print(self.secrets.redact(line), file=self.stream or sys.stdout, flush=True)

    def waiting(self, message: str) -> None:
        """A line while the model keeps the run waiting (on stderr; stdout stays the steps)."""
        if not self.quiet:
            print(f"          … {self.secrets.redact(message)}", file=sys.stderr, flush=True)


def stage_summary(event: StepEvent) -> str:
    """The stages a step spent time in, e.g. ``locate 0.31s act 0.01s`` (workflow steps locate,
    agent steps predict); the act stage is always shown, and a settle wait that timed out
    is said to have."""
    times = event.times.seconds()
    shown = [k for k, v in times.items() if k != "observe_s" and (v >= 0.005 or k == "act_s")]
    text = " ".join(f"{k.removesuffix('_s')} {times[k]:.2f}s" for k in shown)
    if event.times.settle_timeouts:
        text += f" (not settled after {event.times.settle_checks} checks)"
    return text


def exit_code(result: RunResult) -> int:
    """The exit code of a finished run: its status's, except that a run ended by a
    configuration mistake found mid-run (an unknown secret, a refused key) is a usage error."""
    cls = error_class(result.error_type)
    if result.status == "error" and cls is not None and issubclass(cls, ConfigError):
        return int(ExitCode.USAGE)
    return EXIT_CODES[result.status]


def print_result(result: RunResult) -> None:
    answer = f" answer: {result.answer}" if result.answer is not None else ""
    where = f" record: {result.run_dir}" if result.run_dir else ""
    print(
        f"{result.status}: {result.reason} ({result.steps} steps, {result.elapsed_s:.1f}s).{answer}{where}",
        file=sys.stdout,
        flush=True,
    )


def result_json(result: RunResult, **extra: Any) -> dict[str, Any]:
    """What ``--json`` prints for one run."""
    return {
        "status": result.status,
        "reason": result.reason,
        "answer": result.answer,
        "steps": result.steps,
        "run_id": result.run_id,
        "run_dir": str(result.run_dir) if result.run_dir else None,
        "elapsed_s": round(result.elapsed_s, 3),
        "timings": {k: round(v, 3) for k, v in result.times.model_dump().items()},
        "usage": result.usage.model_dump(mode="json"),
        "exit_code": exit_code(result),
        **extra,
    }


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False), file=sys.stdout, flush=True)


def recorded_result(run_dir: Path | None) -> RunResult | None:
    """The result a run wrote before it stopped (an aborted run raises after writing it)."""
    if run_dir is None or not (run_dir / "result.json").is_file():
        return None
    data = json.loads((run_dir / "result.json").read_text(encoding="utf-8"))
    return RunResult.model_validate({k: v for k, v in data.items() if k in RunResult.model_fields})
