"""Writing a workflow run in the same trajectory format as an agent run.

Each executed step becomes a ``step`` event that validates as
:class:`screenpilot.agent.result.StepEvent`, with one extra key, ``workflow``, saying which workflow
step it was, how its target was found and whether it was healed.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screenpilot.agent.result import ActionOutcome, RunResult, StageTimes, StepEvent
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.recorder import TrajectoryRecorder
from screenpilot.environments.observation import Observation

StepCallback = Callable[[StepEvent], None]


@dataclass
class StepInfo:
    """The workflow side of one recorded step."""

    path: str
    kind: str
    name: str | None = None
    target: str | None = None
    found_by: str | None = None
    healed: bool = False
    skipped: bool = False
    attempt: int = 1
    observer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "extra" and v not in (None, False)}
        return data | self.extra


class RunRecorder:
    """Counts steps, saves screenshots and writes events; a no-op without a run directory."""

    def __init__(
        self,
        run_dir: Path | None,
        secrets: SecretStore,
        *,
        screenshots: bool = True,
        on_step: Sequence[StepCallback] = (),
    ) -> None:
        self.secrets = secrets
        self.recorder = TrajectoryRecorder(run_dir, secrets) if run_dir is not None else None
        self.screenshots = screenshots
        self.on_step = list(on_step)
        self.steps = 0
        self.started = time.monotonic()
        self.times: dict[str, float] = {}

    @property
    def run_dir(self) -> Path | None:
        return self.recorder.run_dir if self.recorder is not None else None

    def manifest(self, run_id: str, task: str, data: dict[str, Any]) -> None:
        if self.recorder is None:
            return
        from screenpilot._version import __version__

        self.recorder.write_manifest(
            {
                "run_id": run_id,
                "task": task,
                "created": time.time(),
                "screenpilot": __version__,
                "python": platform.python_version(),
                "policy": "workflow",
                "model": None,
                "prompt_version": None,
                **data,
            }
        )
        self.event("run_started", task=task)

    def event(self, kind: str, **data: Any) -> None:
        if self.recorder is not None:
            self.recorder.event(kind, **data)

    def shot(self, obs: Observation | None) -> str | None:
        if self.recorder is None or obs is None or not self.screenshots:
            return None
        return self.recorder.save_screenshot(obs.screenshot)

    def step(
        self,
        info: StepInfo,
        obs: Observation | None,
        outcomes: Sequence[ActionOutcome] = (),
        *,
        error: str | None = None,
        times: dict[str, float] | None = None,
        thought: str = "",
    ) -> StepEvent:
        """Record one step; returns the event (also passed to the step callbacks)."""
        stage = StageTimes(**(times or {}))
        for key, value in stage.model_dump().items():
            self.times[key] = self.times.get(key, 0.0) + value
        event = StepEvent(
            index=self.steps,
            screenshot=self.shot(obs),
            url=obs.url if obs else None,
            title=obs.title if obs else None,
            notices=obs.notices if obs else (),
            thought=self.secrets.redact(thought),
            outcomes=tuple(outcomes),
            error=self.secrets.redact(error) if error else None,
            times=stage,
        )
        self.steps += 1
        self.event("step", **event.model_dump(mode="json"), workflow=info.as_dict())
        for callback in self.on_step:
            callback(event)
        return event

    def forward(self, event: StepEvent, info: StepInfo) -> None:
        """Record a step of an agent sub-task under this run's numbering."""
        renumbered = event.model_copy(update={"index": self.steps})
        self.steps += 1
        self.event("step", **renumbered.model_dump(mode="json"), workflow=info.as_dict())
        for callback in self.on_step:
            callback(renumbered)

    def finish(self, result: RunResult, extra: dict[str, Any]) -> None:
        if self.recorder is None:
            return
        self.event("run_finished", status=result.status, reason=result.reason)
        self.recorder.finish(result.model_dump(mode="json") | extra)

    def stage_times(self) -> StageTimes:
        return StageTimes(**self.times)
