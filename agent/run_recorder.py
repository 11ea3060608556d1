"""One run's record, for the agent loop and workflows alike.

:class:`RunRecorder` owns a run's lifecycle on disk (through
:class:`~agent.trajectory.recorder.TrajectoryRecorder`): the manifest and ``run_started``,
then one ``step`` event per step with the screenshot, the screen geometry, URL, title,
notices and the element under each action's point, then ``run_finished`` and, last and
atomically, ``result.json``. It sums stage times over the steps and calls the step
callbacks. Without a run directory it writes nothing and still counts, times and calls back.
"""

from __future__ import annotations

import platform
import time
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from screenpilot.agent.guards import element_at
from screenpilot.agent.result import (
    ActionOutcome,
    PointedElement,
    PopupRecord,
    RunResult,
    RunStatus,
    StageTimes,
    StepEvent,
)
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.recorder import TrajectoryRecorder
from screenpilot.environments.base import Capabilities
from screenpilot.environments.observation import Observation
from screenpilot.model.types import Usage
from screenpilot.tools.actions import Action

StepCallback = Callable[[StepEvent], None]


def new_run_id() -> str:
    """A sortable, unique run directory name: ``YYYYmmdd-HHMMSS-xxxxxx``."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


def pointed_elements(obs: Observation, actions: Sequence[Action]) -> tuple[PointedElement | None, ...]:
    """The element under each action's first point, so a run can be compiled into a workflow."""
    if not obs.elements:
        return ()
    out: list[PointedElement | None] = []
    for action in actions:
        el = element_at(obs, action)
        out.append(
            PointedElement(id=el.id, role=el.role, tag=el.tag, label=el.label, box=el.box) if el else None
        )
    return tuple(out)


class RunRecorder:
    """Records one run; a no-op on disk when ``out_dir`` is ``None``.

    Args:
        run_id: The run's id, also its directory name under ``out_dir``.
        out_dir: Where run directories go (``None`` records nothing).
        secrets: Redacted from everything written and from the events callbacks receive.
        screenshots: Whether step events store their screenshot.
        on_step: Called with every recorded step event.
    """

    def __init__(
        self,
        run_id: str,
        out_dir: Path | None,
        secrets: SecretStore | None = None,
        *,
        screenshots: bool = True,
        on_step: Sequence[StepCallback] = (),
    ) -> None:
        self.run_id = run_id
        self.secrets = secrets or SecretStore()
        self.trajectory = TrajectoryRecorder(out_dir / run_id, self.secrets) if out_dir is not None else None
        self.screenshots = screenshots
        self.on_step = list(on_step)
        self.started = time.monotonic()
        self.steps = 0
        self.times = StageTimes()
        self.error_type: str | None = None

    @property
    def run_dir(self) -> Path | None:
        return self.trajectory.run_dir if self.trajectory is not None else None

    def start(
        self,
        task: str,
        *,
        policy: str,
        capabilities: Capabilities,
        model: str | None = None,
        prompt_version: str | None = None,
        config: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Write ``manifest.json`` (common fields, then ``extra``) and the ``run_started`` event."""
        if self.trajectory is None:
            return
        from screenpilot._version import __version__

        manifest = {
            "run_id": self.run_id,
            "task": task,
            "created": time.time(),
            "screenpilot": __version__,
            "python": platform.python_version(),
            "policy": policy,
            "model": model,
            "prompt_version": prompt_version,
            "capabilities": sorted(capabilities.actions),
            "platform": capabilities.platform,
            "input": capabilities.input,
            "config": dict(config) if config is not None else None,
            **(extra or {}),
        }
        self.trajectory.write_manifest(manifest)
        self.event("run_started", task=task)

    def event(self, kind: str, **data: Any) -> None:
        """Append one event (redacted) to ``events.jsonl``."""
        if self.trajectory is not None:
            self.trajectory.event(kind, **data)

    def crash(self, error: BaseException) -> None:
        """Record an unexpected exception (a bug) with its traceback."""
        self.failed(error)
        tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.event("crash", error=f"{type(error).__name__}: {error}", traceback=tb)

    def failed(self, error: BaseException) -> None:
        """Note the error that ends the run; ``result.json`` records its class as ``error_type``."""
        self.error_type = type(error).__name__

    def step(
        self,
        obs: Observation | None,
        *,
        actions: Sequence[Action] = (),
        outcomes: Sequence[ActionOutcome] = (),
        thought: str = "",
        raw: str = "",
        error: str | None = None,
        feedback: Sequence[str] = (),
        usage: Usage | None = None,
        times: StageTimes | None = None,
        invalid_outputs: int = 0,
        transport_retries: int = 0,
        workflow: Mapping[str, Any] | None = None,
        popup: PopupRecord | None = None,
        decided_by: str = "",
    ) -> StepEvent:
        """Record one step acted on ``obs``; returns the event as the callbacks got it.

        Args:
            obs: The screen the step acted on (``None`` when it never looked).
            actions: The actions decided, for the elements under their points.
            workflow: The workflow step this was (kept as the event's ``workflow`` key).
            popup: The popup this step dismissed, when the popup handler took it.
        """
        event = StepEvent(
            index=self.steps,
            screenshot=self._shot(obs),
            geometry=obs.geometry if obs else None,
            url=obs.url if obs else None,
            title=obs.title if obs else None,
            tabs=obs.tabs if obs else (),
            notices=obs.notices if obs else (),
            thought=thought,
            raw=raw,
            outcomes=tuple(outcomes),
            feedback=tuple(feedback),
            error=error,
            usage=usage or Usage(),
            times=times or StageTimes(),
            invalid_outputs=invalid_outputs,
            transport_retries=transport_retries,
            targets=pointed_elements(obs, actions) if obs else (),
            popup=popup,
            decided_by=decided_by,
        )
        return self._write(event, workflow)

    def forward(self, event: StepEvent, workflow: Mapping[str, Any] | None = None) -> StepEvent:
        """Record a step another recorder numbered (an agent sub-task of a workflow)."""
        return self._write(event.model_copy(update={"index": self.steps}), workflow)

    def finish(
        self,
        status: RunStatus,
        reason: str = "",
        *,
        answer: str | None = None,
        usage: Usage | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> RunResult:
        """End the run: the ``run_finished`` event, then ``result.json`` (with ``extra``)."""
        result = RunResult(
            run_id=self.run_id,
            status=status,
            reason=reason,
            answer=answer,
            steps=self.steps,
            elapsed_s=time.monotonic() - self.started,
            usage=usage or Usage(),
            run_dir=self.run_dir,
            times=self.times,
            error_type=self.error_type if status == "error" else None,
        )
        if self.trajectory is not None:
            self.event("run_finished", status=status, reason=reason)
            self.trajectory.finish(result.model_dump(mode="json") | dict(extra or {}))
        return result

    # -- internals ------------------------------------------------------------------------

    def _shot(self, obs: Observation | None) -> str | None:
        if self.trajectory is None or obs is None or not self.screenshots:
            return None
        return self.trajectory.save_screenshot(obs)

    def _write(self, event: StepEvent, workflow: Mapping[str, Any] | None) -> StepEvent:
        self.steps += 1
        self.times += event.times
        data = event.model_dump(mode="json")
        clean = self.secrets.redact(data)
        if clean is not data and clean != data:  # callbacks (printers, UIs) must not see secrets either
            event = StepEvent.model_validate(clean)
        extra = {"workflow": dict(workflow)} if workflow is not None else {}
        self.event("step", **clean, **extra)
        for callback in self.on_step:
            callback(event)
        return event
