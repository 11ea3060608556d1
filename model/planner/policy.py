"""The planner + grounder policy."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatRequest
from screenpilot.model.imaging import PixelBudget, resize_for_model
from screenpilot.model.planner.answer import PlannedStep, parse_plan
from screenpilot.model.planner.listing import listing
from screenpilot.model.planner.prompt import VERSION, planner_messages
from screenpilot.model.policy import Grounder
from screenpilot.model.sampling import Sampling
from screenpilot.model.types import Decision, Feedback, HistoryStep, Usage
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    KeyPress,
    MouseButton,
    Navigate,
    Scroll,
    ScrollDirection,
    Terminate,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.keys import UnknownKeyError, split_combo
from screenpilot.tools.points import Box, Point


class PlannerConfig(BaseModel):
    """Settings of a :class:`PlannerGrounderPolicy`.

    Attributes:
        vision: Send the screenshot to the planner too (for a vision chat model).
        budget: Pixel budget of that screenshot (factor 28 keeps it valid for most VLMs).
        sampling: The planner's generation settings (greedy by default).
        secrets: Secret names the planner may type as ``{{secret:NAME}}``.
        grounder_is_model: Count each grounding as a model call in the usage.
    """

    model_config = ConfigDict(frozen=True)

    vision: bool = False
    budget: PixelBudget = PixelBudget(min_tokens=4, max_tokens=1280)
    sampling: Sampling = Sampling(temperature=0.0, max_tokens=1024)
    secrets: tuple[str, ...] = ()
    grounder_is_model: bool = True
    factor: int = Field(default=28, ge=1)


class PlannerGrounderPolicy:
    """Plans with one chat model, grounds target descriptions with a :class:`Grounder`.

    Args:
        planner: The chat backend of the planning model.
        grounder: Finds each described target on the screen.
        config: Settings.
        ocr: Reads a screen's text lines for the listing when it has no elements.
    """

    def __init__(
        self,
        planner: ChatBackend,
        grounder: Grounder,
        config: PlannerConfig | None = None,
        *,
        ocr: Callable[[Image.Image], list[str]] | None = None,
    ) -> None:
        self.planner = planner
        self.grounder = grounder
        self.config = config or PlannerConfig()
        self.ocr = ocr
        self.model_id = planner.model_id
        self.prompt_version = VERSION

    @property
    def name(self) -> str:
        return f"planner:{self.model_id}"

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """Ask the planner for the next step, then ground its targets.

        Raises:
            ModelOutputError: The plan is unusable or its target is not on the screen
                (the planner is re-asked with the reason).
        """
        start = time.monotonic()
        image = None
        if self.config.vision:
            image = resize_for_model(observation.screenshot, self.config.factor, self.config.budget)
        messages = planner_messages(
            task,
            observation,
            history,
            feedback,
            listing(observation),
            image=image,
            secrets=self.config.secrets,
        )
        completion = self.planner.complete(
            ChatRequest(messages=messages, **self.config.sampling.request_fields())
        )
        step = parse_plan(completion.text)
        actions, groundings = self._actions(step, observation, completion.text)
        calls = completion.usage.calls + (groundings if self.config.grounder_is_model else 0)
        return Decision(
            actions=actions,
            thought=step.thought or step.action,
            raw=completion.text,
            usage=completion.usage + Usage(calls=calls - completion.usage.calls),
            latency_s=time.monotonic() - start,
            model=self.model_id,
        )

    def _locate(self, observation: Observation, target: str, raw: str) -> Point:
        try:
            where = self.grounder.locate(observation, target)
        except ModelOutputError as e:
            raise ModelOutputError(
                f"{target!r} was not found on the screen ({e}); "
                "describe it differently or choose another action",
                raw=raw,
            ) from None
        return where.center if isinstance(where, Box) else where

    def _actions(self, step: PlannedStep, obs: Observation, raw: str) -> tuple[tuple[Action, ...], int]:
        verb = step.action
        if verb in ("click", "double_click", "right_click"):
            button = MouseButton.RIGHT if verb == "right_click" else MouseButton.LEFT
            at = self._locate(obs, step.target, raw)
            return (Click(at=at, button=button, count=2 if verb == "double_click" else 1),), 1
        if verb == "type":
            typed = _typed(step.text, self.config.secrets)
            if not step.target:
                return (typed,), 0
            return (Click(at=self._locate(obs, step.target, raw)), typed), 1
        return (_plain(step, raw),), 0


def _typed(text: str, secrets: Sequence[str]) -> TypeText:
    inner = text.strip()
    if inner.startswith("{{secret:") and inner.endswith("}}"):
        name = inner[len("{{secret:") : -2].strip()
        if name not in secrets:
            raise ModelOutputError(
                f"there is no secret named {name!r}; available: {', '.join(secrets) or 'none'}"
            )
        return TypeText(secret=name)
    return TypeText(text=text)


def _plain(step: PlannedStep, raw: str) -> Action:
    match step.action:
        case "key":
            try:
                keys = [k for name in step.keys for k in split_combo(name)]
            except UnknownKeyError as e:
                raise ModelOutputError(f"invalid key: {e}", raw=raw) from None
            if not keys:
                raise ModelOutputError('"key" needs "keys", e.g. ["enter"]', raw=raw)
            return KeyPress(keys=tuple(keys))
        case "scroll":
            return Scroll(direction=ScrollDirection(step.direction), amount=3)
        case "wait":
            return Wait(seconds=step.seconds)
        case "navigate":
            return Navigate(url=step.url)
        case "answer":
            return Answer(text=step.text)
        case "fail":
            return Terminate(status="failure", reason=step.reason or "the planner gave up")
        case _:
            return Terminate(status="success")
