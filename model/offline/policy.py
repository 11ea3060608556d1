"""The embedded offline policy: an instruction interpreter on top of the offline grounder.

It needs no model weights and no GPU. The task is parsed into steps once; each
``predict`` call looks at the fresh observation and returns exactly one action for the
current step (or moves past steps that need none, such as a checkbox already ticked).
When the task cannot be interpreted, or a target cannot be found, it stops with
``Terminate(failure)`` saying why and what it saw; after the last step it stops with
``Terminate(success)``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.effects import Effect
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.choose import pick
from screenpilot.model.offline.grounder import GrounderConfig, OcrMode, OfflineGrounder
from screenpilot.model.offline.interpreter import ClauseReading, read
from screenpilot.model.offline.progress import Done, Emit, Fail, StepState
from screenpilot.model.offline.step_machine import StepRunner, empty_spot
from screenpilot.model.offline.steps import Step
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, KeyPress, Terminate
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.options import validate_options
from screenpilot.tools.perception.ocr import OcrConfig, OcrEngine, OcrLanguage, TextReader
from screenpilot.tools.perception.ocr_select import AutoOcr, OcrEngineName
from screenpilot.tools.perception.tesseract import TesseractConfig, TesseractEngine
from screenpilot.tools.points import Box

MAX_ACTION_FAILURES = 2
"""Failed actions on one step before the policy gives up on it."""
_MAX_SILENT_STEPS = 100
_UNDERSTANDS = "see docs/offline.md for the phrasings the offline policy reads"


class OfflinePolicyConfig(BaseModel):
    """Options of the offline policy (``--policy offline -P KEY=VALUE``).

    Attributes:
        ocr: ``auto`` (read the screen when elements are missing or do not match),
            ``always``, or ``off``.
        language: OCR language; the bundled PP-OCR model reads Chinese and English.
        ocr_engine: ``rapidocr`` (the bundled PP-OCR model), ``tesseract``, or ``auto``:
            PP-OCR when it can read every letter of the task, Tesseract with the packs of
            the task's scripts when it cannot.
        ocr_lang: Tesseract packs, ``+``-joined (``jpn+kor+ara``); with it, ``auto`` means
            ``tesseract``.
        min_score: Candidates scoring below this are ignored (0..1).
        incremental_ocr: Re-read only the screen regions that changed.
        max_wait_s: How long ``wait until "…" appears`` waits.
        verify: Check each step's effect (typed text, ticked boxes, something changed).
        submit_when_done: After the last step of a task that filled a form but never sent
            it, press the form's button captioned "Submit" (提交) when there is one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr: OcrMode = "auto"
    language: OcrLanguage = "ch"
    min_score: float = Field(default=0.6, ge=0.0, le=1.0)
    ocr_engine: OcrEngineName = "auto"
    ocr_lang: str | None = Field(default=None, pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
    incremental_ocr: bool = True
    max_wait_s: float = Field(default=10.0, ge=0.0, le=600.0)
    verify: bool = True
    submit_when_done: bool = True

    def grounder_config(self) -> GrounderConfig:
        return GrounderConfig(
            ocr=self.ocr,
            ocr_config=OcrConfig(language=self.language),
            incremental=self.incremental_ocr,
            min_score=self.min_score,
        )


@dataclass
class _TaskState:
    readings: list[ClauseReading]
    clause: int = 0
    steps: list[Step] = field(default_factory=list)
    index: int = 0
    step: StepState = field(default_factory=StepState)
    snapshot: tuple[int, StepState] | None = None
    failures: int = 0
    seen_history: int = 0
    notes: list[str] = field(default_factory=list)
    data_submitted: bool = False


class OfflinePolicy:
    """Follows imperative instructions with OCR and element grounding, no model needed.

    Args:
        config: Options.
        engine: A shared OCR engine (optional; one is made lazily).
    """

    def __init__(self, config: OfflinePolicyConfig | None = None, *, engine: OcrEngine | None = None) -> None:
        self.config = config or OfflinePolicyConfig()
        self.reader = _reader(self.config, engine)
        self.grounder = OfflineGrounder(self.config.grounder_config(), engine=self.reader)
        self.runner = StepRunner(self.grounder, max_wait_s=self.config.max_wait_s, verify=self.config.verify)
        self._tasks: dict[str, _TaskState] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "offline"

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """One action for the current step of ``task`` on ``observation``."""
        start = time.monotonic()
        with self._lock:
            actions, thought = self._decide(task, observation, history, feedback)
        return Decision(actions=actions, thought=thought, model=self.name, latency_s=time.monotonic() - start)

    def locate(self, observation: Observation, description: str) -> Box:
        """Ground ``description`` with the policy's grounder (a :class:`~model.policy.Grounder`).

        Raises:
            ModelOutputError: When nothing matches.
        """
        with self._lock:
            return self.grounder.locate(observation, description)

    # -- internals ------------------------------------------------------------------------

    def _state(self, task: str, history: Sequence[HistoryStep]) -> _TaskState | str:
        state = self._tasks.get(task)
        # A new run of the same task starts with an empty (or shorter) history.
        if state is None or len(history) == 0 or len(history) < state.seen_history:
            try:
                state = _TaskState(readings=read(task))
            except ModelOutputError as e:
                self._tasks.pop(task, None)
                return f"{e}; {_UNDERSTANDS}"
            self.runner.memory.clear()
            self._tasks[task] = state
            if isinstance(self.reader, AutoOcr) and self.reader.select_for(task):
                self.grounder.reset_ocr()
        state.seen_history = len(history)
        return state

    def _decide(
        self, task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> tuple[tuple[Action, ...], str]:
        state = self._state(task, history)
        if isinstance(state, str):
            return (Terminate(status="failure", reason=state),), state
        failed = [f for f in feedback if f.kind in ("action_error", "rejected")]
        if failed and state.snapshot is not None:
            state.failures += 1
            if state.failures > MAX_ACTION_FAILURES:
                reason = f"step {state.index + 1} kept failing: {failed[-1].message}"
                return (Terminate(status="failure", reason=reason),), reason
            state.index, state.step = state.snapshot  # try the failed action's phase again
            uncover = _uncover(state, failed[-1], obs)
            if uncover is not None:
                return uncover
        state.step.effects = _reported(feedback)
        for _ in range(_MAX_SILENT_STEPS):
            if state.index >= len(state.steps) and not self._expand(state, obs):
                if self._implied_submit(state, obs):
                    continue
                reason = f"all {len(state.steps)} steps done" + _effects(state)
                return (Terminate(status="success", reason=reason),), reason
            if state.index >= len(state.steps):
                continue
            step = state.steps[state.index]
            snapshot = (state.index, _copy(state.step))
            outcome = self.runner.advance(step, state.step, obs)
            label = f"step {state.index + 1} ({step.clause or step.describe()})"
            if isinstance(outcome, Emit):
                state.snapshot = snapshot
                return (outcome.action,) * outcome.repeat + outcome.then, f"{label}: {outcome.why}"
            if isinstance(outcome, Fail):
                reason = f"{label}: {outcome.why}"
                return (Terminate(status="failure", reason=reason),), reason
            assert isinstance(outcome, Done)
            state.notes.append(f"{label}: {outcome.why}")
            state.index, state.step, state.failures = state.index + 1, StepState(), 0
        reason = "too many steps finished without acting"
        return (Terminate(status="failure", reason=reason),), reason

    def _expand(self, state: _TaskState, obs: Observation) -> bool:
        """Turn the next clause into steps, choosing its reading by the screen now."""
        if state.clause >= len(state.readings):
            return False
        reading = state.readings[state.clause]
        state.clause += 1
        parse, note = pick(reading, obs, self.grounder)
        steps = list(parse.steps) if parse is not None else list(reading.best())
        if note:
            state.notes.append(f"{reading.clause}: {note}")
        state.steps.extend(s if s.clause else s.model_copy(update={"clause": reading.clause}) for s in steps)
        return True

    def _implied_submit(self, state: _TaskState, obs: Observation) -> bool:
        """Filled a form but never sent it, and it has a Submit button: press it as a last step."""
        if not self.config.submit_when_done or state.data_submitted or not state.steps:
            return False
        filled = any(s.kind in _FORM_KINDS for s in state.steps)
        last = state.steps[-1]
        if not filled or last.kind in ("click", "submit", "press", "answer", "open"):
            return False
        button = [c for c in self.grounder.find(obs, '"Submit"', role="button") if c.score >= 0.9]
        button += [c for c in self.grounder.find(obs, '"提交"', role="button") if c.score >= 0.9]
        state.data_submitted = True
        if not button:
            return False
        state.notes.append("the form was filled but not sent: pressing its Submit button")
        state.steps.append(Step(kind="submit", clause="(the form's Submit, implied)"))
        return True


_FORM_KINDS = frozenset({"type", "set", "select", "choose", "check", "uncheck", "paste"})


def _reported(feedback: Sequence[Feedback]) -> tuple[Effect, ...] | None:
    """The effects the environment measured for the last actions (``None``: it measures none)."""
    found = tuple(f.effect for f in feedback if f.effect is not None)
    return found or None


def _uncover(state: _TaskState, failed: Feedback, obs: Observation) -> tuple[tuple[Action, ...], str] | None:
    """After a click the environment saw land on something covering its target: press Escape,
    then click an empty spot, before clicking again; once both were tried the step fails in
    the environment's words (``the click landed on div#wall, which covers link 'Report'``)."""
    effect = failed.effect
    if effect is None or not effect.covered or effect.hit is None:
        return None
    tried = state.step.data.get("uncover", 0)
    state.step.data["uncover"] = tried + 1
    why = f"{effect.hit.element} covers the target"
    blank = empty_spot(obs)
    if tried == 0:
        return (KeyPress(keys=("escape",)),), f"{why}; press Escape"
    if tried == 1 and blank is not None:
        return (Click(at=blank),), f"{why}; click an empty spot"
    step = state.steps[state.index] if state.index < len(state.steps) else None
    label = f"step {state.index + 1}" + (f" ({step.clause or step.describe()})" if step else "")
    reason = f"{label}: {effect.summary('click')}"
    return (Terminate(status="failure", reason=reason),), reason


def _effects(state: _TaskState) -> str:
    """The last steps' observed effects, for the success reason (evidence, not a claim)."""
    if not state.notes:
        return ""
    return "; last: " + state.notes[-1]


def _reader(config: OfflinePolicyConfig, engine: OcrEngine | None) -> TextReader:
    """The OCR reader the options ask for (a given ``engine`` serves PP-OCR reads)."""
    rapid = engine or OcrEngine(OcrConfig(language=config.language))
    if config.ocr_lang is not None or config.ocr_engine == "tesseract":
        return TesseractEngine(TesseractConfig(lang=config.ocr_lang or "eng"), detector=rapid)
    return rapid if config.ocr_engine == "rapidocr" else AutoOcr(rapid)


def _copy(st: StepState) -> StepState:
    return StepState(
        phase=st.phase,
        target=st.target,
        misses=st.misses,
        waited_s=st.waited_s,
        retries=st.retries,
        explored=st.explored,
        tried=list(st.tried),
        done_boxes=list(st.done_boxes),
        done_keys=list(st.done_keys),
        notes=list(st.notes),
        data=dict(st.data),
        element=st.element,
        before=st.before,
        effects=st.effects,
    )


def from_options(options: Mapping[str, Any]) -> OfflinePolicy:
    """Registry factory: ``--policy offline -P ocr=off -P min_score=0.7``."""
    return OfflinePolicy(validate_options(OfflinePolicyConfig, options, what="the offline policy"))
