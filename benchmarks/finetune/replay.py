"""Replay a recorded run into what the policy was given at each step.

For every step the agent asked its policy about, this rebuilds the observation (the
recorded screenshot, geometry, URL, title, notices and the environment's capabilities from
the manifest), the history the agent kept (earlier policy steps, screenshots for the last
``keep_screenshots`` of them) and the feedback the agent passed in. Feedback recorded with
the step keeps its order; its kinds, which the record does not keep, come from what the
record says produced each message (the previous step's effects and failures, dismissed
popups, the screen's notices). Runs without a policy (workflows) get the feedback an agent
would have passed, rebuilt the same way. Popup dismissals are steps of the record but not of
the history, as in the agent loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image

from screenpilot.agent.act import Acted
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.result import ActionOutcome, StepEvent
from screenpilot.agent.trajectory.reader import Trajectory
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.observation import Observation, TabInfo
from screenpilot.model.types import Feedback, FeedbackKind, HistoryStep
from screenpilot.tools import errors
from screenpilot.tools.errors import ConfigError


@dataclass(frozen=True)
class ReplayedStep:
    """One policy step of a run, with what the policy was given.

    Attributes:
        event: The step as recorded.
        observation: The screen it acted on.
        history: The history passed to the policy.
        feedback: The feedback passed to the policy.
        after_reask: Whether the agent re-asked before this step (the previous answer was
            unusable, or the loop detector warned): its prompt held turns an export leaves out.
    """

    event: StepEvent
    observation: Observation
    history: tuple[HistoryStep, ...]
    feedback: tuple[Feedback, ...]
    after_reask: bool


def capabilities_of(manifest: dict[str, Any]) -> Capabilities:
    """The environment's capabilities as the manifest records them."""
    input_kind = manifest.get("input", "pointer")
    return Capabilities(
        platform=str(manifest.get("platform") or "unknown"),
        actions=frozenset(manifest.get("capabilities") or ()),
        input="touch" if input_kind == "touch" else "pointer",
    )


class RunReplay:
    """Replays one trajectory step by step.

    Args:
        run: The trajectory.
        answers: The answer text replayed for an earlier step in later prompts, by step
            index (synthesised tool calls, so that history turns read like a model's own);
            steps without one keep their recorded ``raw``.

    Raises:
        ConfigError: When a policy step has no screenshot or no screen geometry.
    """

    def __init__(self, run: Trajectory, answers: dict[int, str] | None = None) -> None:
        self.run = run
        self.answers = answers if answers is not None else {}
        self.capabilities = capabilities_of(run.manifest)
        config = run.manifest.get("config") or {}
        self.keep = int(config.get("keep_screenshots", AgentConfig().keep_screenshots))
        self._images: dict[str, Image.Image] = {}
        self._nudges = _nudged_steps(run.events)
        self.events = [
            (e, StepEvent.model_validate({k: v for k, v in e.items() if k not in ("type", "t", "workflow")}))
            for e in run.steps
        ]
        for _, step in self.events:
            asked = step.popup is None and (step.outcomes or step.error is not None)
            if asked and (step.screenshot is None or step.geometry is None):
                raise ConfigError(
                    f"{run.run_dir}: step {step.index} was recorded without its "
                    f"{'screenshot' if step.screenshot is None else 'screen geometry'}; "
                    "it cannot be replayed into training data"
                )

    def image(self, digest: str) -> Image.Image:
        """A recorded screenshot (one object per digest, so resizes are cached)."""
        if digest not in self._images:
            with self.run.screenshot(digest) as img:
                self._images[digest] = img.convert("RGB")
        return self._images[digest]

    def steps(self) -> Iterator[ReplayedStep]:
        """Every policy step, in order."""
        history: list[HistoryStep] = []
        previous: StepEvent | None = None
        popups: list[str] = []
        reask = False
        for raw_event, step in self.events:
            if step.popup is not None:
                popups.append(step.popup.reason)
                continue
            if not step.outcomes and step.error is None:
                continue  # a workflow's wait or check: nothing a policy decided
            yield ReplayedStep(
                event=step,
                observation=self._observation(step),
                history=tuple(self._windowed(history)),
                feedback=tuple(self._feedback(step, previous, popups)),
                after_reask=reask or self._nudged(previous),
            )
            history.append(self._history_step(step, raw_event))
            reask = step.error is not None
            previous, popups = step, []

    # -- pieces -----------------------------------------------------------------------------

    def _observation(self, step: StepEvent) -> Observation:
        assert step.screenshot is not None and step.geometry is not None
        return Observation(
            screenshot=self.image(step.screenshot),
            geometry=step.geometry,
            capabilities=self.capabilities,
            url=step.url,
            title=step.title,
            tabs=step.tabs or _one_tab(step),
            notices=step.notices,
        )

    def _history_step(self, step: StepEvent, raw_event: dict[str, Any]) -> HistoryStep:
        outcome = "; ".join(o.message for o in step.outcomes if o.message) or (step.error or "")
        return HistoryStep(
            index=step.index,
            thought=step.thought,
            actions=tuple(o.action for o in step.outcomes),
            raw=self.answers.get(step.index, step.raw),
            outcome=outcome,
            url=step.url,
            screenshot=self.image(step.screenshot) if step.screenshot else None,
        )

    def _windowed(self, history: list[HistoryStep]) -> list[HistoryStep]:
        """The history with screenshots only for the last ``keep`` steps, as the agent keeps it."""
        cut = len(history) - self.keep
        return [h.model_copy(update={"screenshot": None}) if i < cut else h for i, h in enumerate(history)]

    def _nudged(self, previous: StepEvent | None) -> bool:
        """Whether the loop detector warned right after ``previous``."""
        return previous is not None and previous.index in self._nudges

    def _feedback(self, step: StepEvent, previous: StepEvent | None, popups: list[str]) -> list[Feedback]:
        rebuilt = _rebuilt(previous.outcomes if previous else (), popups, step.notices)
        if not step.feedback:
            return [Feedback(kind=k, message=m) for k, m in rebuilt]
        kinds = {m: k for k, m in rebuilt}
        return [Feedback(kind=kinds.get(m, "notice"), message=m) for m in step.feedback]


def _rebuilt(
    outcomes: tuple[ActionOutcome, ...], popups: list[str], notices: tuple[str, ...]
) -> list[tuple[FeedbackKind, str]]:
    """The feedback the agent loop derives from a step's outcomes, popups and notices."""
    out: list[tuple[FeedbackKind, str]] = []
    for outcome in outcomes:
        if outcome.action.action in ("answer", "terminate"):
            continue
        if not outcome.ok:
            message = f"{outcome.action.describe()} failed: {outcome.message}"
            out.append((_failure_kind(outcome.error_type), message))
        elif (line := Acted(outcome=outcome).feedback()) is not None:
            out.append(("effect", line))
    out += [("popup", reason) for reason in popups]
    out += [("notice", n) for n in notices]
    return out


def _one_tab(step: StepEvent) -> tuple[TabInfo, ...]:
    """The tab list of a browser step recorded before steps kept their tabs: the page it
    was on, as the one open tab."""
    if step.url is None:
        return ()
    return (TabInfo(index=0, url=step.url, title=step.title or "", active=True),)


def _failure_kind(error_type: str | None) -> FeedbackKind:
    cls = getattr(errors, error_type or "", None)
    rejected = isinstance(cls, type) and issubclass(cls, errors.ActionRejected)
    return "rejected" if rejected else "action_error"


def _nudged_steps(events: list[dict[str, Any]]) -> set[int]:
    """Indexes of the steps the loop detector warned after."""
    out: set[int] = set()
    last: int | None = None
    for e in events:
        if e.get("type") == "step" and isinstance(e.get("index"), int):
            last = e["index"]
        elif e.get("type") == "loop_nudge" and last is not None:
            out.add(last)
    return out
