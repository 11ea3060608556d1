"""The hybrid policy: the offline interpreter where it understands, a model where it does not.

The task is cut into segments (:mod:`screenpilot.model.hybrid.segments`). Each segment goes
to the offline policy first, through its public :class:`~screenpilot.model.policy.Policy`
interface: while it returns actions it keeps the segment; ``Terminate(success)`` means it
did (and, where it can, verified) everything the segment asks; ``Terminate(failure)`` is
its signal that it cannot interpret the segment or cannot find a target. Only then is the
fallback asked: a model policy, which gets the segment as its task and keeps it until it
answers ``terminate`` (success hands the next segment back to the offline policy), or,
without one, a grounder, which is asked where the segment's target is and that point is
clicked. Every decision names who made it in ``Decision.model`` (``hybrid/offline``,
``hybrid/<model>``, ``hybrid/grounder``), which the run record keeps as ``decided_by``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from screenpilot.environments.observation import Observation
from screenpilot.model.hybrid.segments import segments
from screenpilot.model.policy import Grounder, Policy
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Click, Terminate
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import Box

Mode = Literal["offline", "model"]


@dataclass
class _Run:
    parts: list[str]
    index: int = 0
    mode: Mode = "offline"
    start: int = 0  # history length when the current segment (or the model's turn) began
    seen: int = 0


class HybridPolicy:
    """Offline first, model where needed.

    Args:
        offline: The offline policy (any policy that ends what it cannot do with
            ``Terminate(failure)``).
        model: A model policy asked for the segments the offline policy gives up on.
        grounder: Asked for a segment's target when there is no model policy.
    """

    def __init__(
        self, offline: Policy, model: Policy | None = None, grounder: Grounder | None = None
    ) -> None:
        self.offline = offline
        self.model = model
        self.grounder = grounder
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        fallback = self.model.name if self.model else "grounder" if self.grounder else "none"
        return f"hybrid({self.offline.name}+{fallback})"

    @property
    def model_id(self) -> str:
        """The fallback model's id (written to run manifests), else the policy's name."""
        return str(getattr(self.model, "model_id", self.name))

    @property
    def prompt_version(self) -> str | None:
        return getattr(self.model, "prompt_version", None)

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """The next decision, from the offline policy or, where it gave up, the fallback."""
        start = time.monotonic()
        with self._lock:
            run = self._run(task, history)
            decision = self._next(run, observation, history, feedback)
        return decision.model_copy(update={"latency_s": time.monotonic() - start})

    # -- internals ------------------------------------------------------------------------

    def _run(self, task: str, history: Sequence[HistoryStep]) -> _Run:
        run = self._runs.get(task)
        if run is None or len(history) == 0 or len(history) < run.seen:
            run = _Run(parts=segments(task))
            self._runs[task] = run
        run.seen = len(history)
        return run

    def _next(
        self, run: _Run, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Decision:
        for _ in range(2 * len(run.parts) + 1):  # each segment: offline, then maybe the fallback
            if run.index >= len(run.parts):
                return self._finish(run, "success", f"all {len(run.parts)} segment(s) done")
            part = self._label(run)
            if run.mode == "offline":
                decision = self.offline.predict(run.parts[run.index], obs, history[run.start :], feedback)
                outcome = _terminal(decision)
                if outcome is None:
                    return _tagged(decision, "offline", part)
                if outcome == "success":
                    self._advance(run, len(history))
                    continue
                handed = self._hand_over(run, obs, history, decision)
                if handed is not None:
                    return handed
                continue
            decision = self._ask_model(run, obs, history, feedback)
            if _terminal(decision) == "success":
                self._advance(run, len(history))
                if run.index >= len(run.parts):
                    return _tagged(decision, self._model_name(), part)
                continue
            return _tagged(decision, self._model_name(), part)
        return self._finish(run, "failure", "the segments did not advance")

    def _hand_over(
        self, run: _Run, obs: Observation, history: Sequence[HistoryStep], offline: Decision
    ) -> Decision | None:
        """The offline policy gave up on the segment: its fallback's first decision, or
        ``None`` to let the model policy be asked."""
        if self.model is not None:
            run.mode, run.start = "model", len(history)
            return None
        part = self._label(run)
        if self.grounder is None:
            return _tagged(offline, "offline", part)
        try:
            where = self.grounder.locate(obs, run.parts[run.index])
        except ModelOutputError as e:
            reason = f"{offline.thought}; the grounder found nothing either: {e}"
            return _tagged(Decision(actions=(Terminate(status="failure", reason=reason),)), "grounder", part)
        point = where.center if isinstance(where, Box) else where
        self._advance(run, len(history) + 1)
        thought = f"{offline.thought}; the grounder located {run.parts[run.index - 1]!r}"
        return _tagged(Decision(actions=(Click(at=point),), thought=thought), "grounder", part)

    def _ask_model(
        self, run: _Run, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Decision:
        assert self.model is not None
        return self.model.predict(run.parts[run.index], obs, history[run.start :], feedback)

    def _advance(self, run: _Run, history_len: int) -> None:
        run.index, run.mode, run.start = run.index + 1, "offline", history_len

    def _model_name(self) -> str:
        return self.model.name if self.model else "model"

    def _label(self, run: _Run) -> str:
        return f"segment {run.index + 1}/{len(run.parts)}"

    def _finish(self, run: _Run, status: Literal["success", "failure"], reason: str) -> Decision:
        return Decision(actions=(Terminate(status=status, reason=reason),), thought=reason, model="hybrid")


def _terminal(decision: Decision) -> str | None:
    """``success`` / ``failure`` when the decision ends its task with ``Terminate``."""
    last = decision.actions[-1]
    return last.status if isinstance(last, Terminate) and len(decision.actions) == 1 else None


def _tagged(decision: Decision, who: str, part: str) -> Decision:
    thought = f"[{part}] {decision.thought}".strip()
    return decision.model_copy(update={"model": f"hybrid/{who}", "thought": thought})
