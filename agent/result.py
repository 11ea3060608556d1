"""The outcome of a run and of each step, as callbacks and callers see them."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.base import SettleResult
from screenpilot.environments.effects import Effect
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import TabInfo
from screenpilot.model.types import Usage
from screenpilot.tools.actions import Action
from screenpilot.tools.points import Box

RunStatus = Literal["success", "failure", "truncated", "timeout", "loop", "aborted", "error"]
"""``truncated``: the step budget ran out; ``timeout``: the wall-clock budget did."""


class StageTimes(BaseModel):
    """Seconds spent per stage of a step (or, summed, of a run).

    Attributes:
        observe_s: Capturing the screen the policy decides on.
        locate_s: Finding a workflow step's targets: observing, resolving elements, text
            (OCR) or images, polling until they appear, re-grounding a healed target.
        predict_s: Asking the policy.
        act_s: Executing actions in the environment.
        settle_s: Waiting, bounded, for the screen to stop changing after each action.
        effect_s: Hit-testing each action's point before it and summarising its effect
            after it.
        settle_checks: Frame comparisons the settle waits made (a count, not seconds).
        settle_timeouts: Settle waits that hit their bound before the screen held still.
    """

    model_config = ConfigDict(frozen=True)

    observe_s: float = 0.0
    locate_s: float = 0.0
    predict_s: float = 0.0
    act_s: float = 0.0
    settle_s: float = 0.0
    effect_s: float = 0.0
    settle_checks: int = 0
    settle_timeouts: int = 0

    def __add__(self, other: StageTimes) -> StageTimes:
        return StageTimes(**{k: getattr(self, k) + getattr(other, k) for k in StageTimes.model_fields})

    def seconds(self) -> dict[str, float]:
        """The stages' seconds by field name (``observe_s`` ..), without the counts."""
        return {k: v for k, v in self.model_dump().items() if k.endswith("_s")}


class ActionOutcome(BaseModel):
    """One action of a step: whether it was carried out, and what it hit and changed.

    Attributes:
        action: The action as decided (secret references unresolved).
        ok: Whether it was carried out (and, for a pointer action, did not merely land on
            something covering its target).
        message: The driver's message or the failure, redacted.
        error_type: The failure's class name.
        effect: What the action hit and changed, on environments that can tell.
        settle: How the wait after it ended: whether the screen came to rest, how long
            it took and how many looks it took (``None`` when there was no wait).
    """

    model_config = ConfigDict(frozen=True)

    action: Action
    ok: bool
    message: str = ""
    error_type: str | None = None
    effect: Effect | None = None
    settle: SettleResult | None = None


class PopupRecord(BaseModel):
    """A popup the popup handler dismissed in a step (see :mod:`screenpilot.agent.popups`).

    Attributes:
        rule: The name of the rule that recognised it.
        label: The label of the control that was clicked.
        reason: Why, in words (the rule's description and the popup's text).
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    label: str
    reason: str


class PointedElement(BaseModel):
    """The element under an action's point when the step ran (``workflow from-run`` uses it).

    ``box`` is in screen coordinates.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    role: str = ""
    tag: str = ""
    label: str = ""
    box: Box


class StepEvent(BaseModel):
    """One finished step, as passed to step callbacks and written to ``events.jsonl``.

    ``geometry`` is the observation's screen geometry, so that readers (reports, the UI)
    can map the step's action points onto its screenshot without the environment.
    """

    model_config = ConfigDict(frozen=True)

    index: int
    screenshot: str | None = None
    geometry: ScreenGeometry | None = None
    url: str | None = None
    title: str | None = None
    tabs: tuple[TabInfo, ...] = ()
    """The open tabs the step saw (browsers), so a replay renders the prompt it was given."""
    notices: tuple[str, ...] = ()
    thought: str = ""
    raw: str = ""
    outcomes: tuple[ActionOutcome, ...] = ()
    feedback: tuple[str, ...] = ()
    error: str | None = None
    usage: Usage = Usage()
    times: StageTimes = StageTimes()
    invalid_outputs: int = 0
    transport_retries: int = 0
    targets: tuple[PointedElement | None, ...] = ()
    """Per action of the decision: the element under its first point (empty without elements)."""
    popup: PopupRecord | None = None
    """Set when the step was the popup handler dismissing a popup, not the policy acting."""
    decided_by: str = ""
    """Which model or policy made the decision (``Decision.model``; a composed policy names
    the part, e.g. ``hybrid/offline``)."""


class RunResult(BaseModel):
    """How a run ended."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    status: RunStatus
    reason: str = ""
    answer: str | None = None
    steps: int = 0
    elapsed_s: float = 0.0
    usage: Usage = Usage()
    run_dir: Path | None = None
    times: StageTimes = Field(default_factory=StageTimes)
    error_type: str | None = None
    """For a run that ended in ``error``: the class name of the error that ended it (in
    :mod:`screenpilot.tools.errors` for the project's own), so callers can classify it by type."""

    @property
    def success(self) -> bool:
        return self.status == "success"
