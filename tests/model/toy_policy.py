"""A second model family, small enough for a test: plain-text ``click(x, y)`` answers.

The toy model is shown one screenshot and answers with one line: ``click(x, y)`` with x and
y relative to the screenshot in 0..1000, ``type("text")`` with a JSON string, or
``done()``; lines before it are its thought. It is built only from the family-neutral
plumbing (``screenpilot.model.coords``, ``screenpilot.model.imaging``,
``screenpilot.model.http_options``) and the chat backends, and never imports the Qwen
family: a test parses this file and fails if it does.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatMessage, ChatRequest, ImagePart, TextPart
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.http_options import HTTPOptions
from screenpilot.model.imaging import PixelBudget, resize_for_model, visual_tokens
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate, TypeText
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.options import validate_options

SYSTEM = """You operate a computer through its screen. The screen is {width}x{height}.
Answer with your reasoning, then one last line holding exactly one action:
click(x, y)      click at x, y (integers from 0 to {width} and 0 to {height})
type("text")     type text (a JSON string) into the focused field
done()           the task is complete"""

_NUMBER = r"\s*(-?\d+(?:\.\d+)?)\s*"
_CLICK = re.compile(rf"click\({_NUMBER},{_NUMBER}\)")
_TYPE = re.compile(r'type\(\s*("(?:[^"\\]|\\.)*")\s*\)')
_DONE = re.compile(r"done\(\s*\)")


class ToyOptions(HTTPOptions):
    """The neutral HTTP options plus the toy family's own image settings.

    Attributes:
        factor: Pixels per visual token along one side (28, unlike Qwen3-VL's 32).
        budget: Pixel budget of the screenshot.
        max_tokens: Cap on generated tokens.
    """

    factor: int = Field(default=28, ge=1)
    budget: PixelBudget = PixelBudget(min_tokens=64, max_tokens=1024)
    max_tokens: int = Field(default=128, ge=1)


def parse_answer(text: str, mapper: CoordinateMapper) -> tuple[str, Action]:
    """The thought and the action of one answer.

    Raises:
        ModelOutputError: When the last line is not one of the three actions, or a click
            lies outside the screen.
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        raise ModelOutputError("the answer is empty")
    last, thought = lines[-1], "\n".join(lines[:-1])
    if m := _CLICK.fullmatch(last):
        return thought, Click(at=mapper.point([m.group(1), m.group(2)]))
    if m := _TYPE.fullmatch(last):
        return thought, TypeText(text=json.loads(m.group(1)))
    if _DONE.fullmatch(last):
        return thought, Terminate(status="success")
    raise ModelOutputError(f'the last line must be click(x, y), type("...") or done(), got {last!r}')


class ToyPolicy:
    """A :class:`~screenpilot.model.policy.Policy` for the toy answer format."""

    def __init__(self, backend: ChatBackend, options: ToyOptions) -> None:
        self.backend = backend
        self.options = options
        self.model_id = backend.model_id

    @property
    def name(self) -> str:
        return f"toy:{self.model_id}"

    def messages(
        self, task: str, observation: Observation, feedback: Sequence[Feedback]
    ) -> tuple[tuple[ChatMessage, ...], CoordinateMapper]:
        """The conversation of one step and the mapper that reads its answer."""
        image = resize_for_model(observation.screenshot, self.options.factor, self.options.budget)
        seen = Size(width=image.width, height=image.height)
        mapper = CoordinateMapper(CoordConvention.REL1000, observation.geometry, seen)
        notes = "".join(f"\nNote: {f.message}" for f in feedback)
        system = SYSTEM.format(width=mapper.display.width, height=mapper.display.height)
        return (
            ChatMessage.text("system", system),
            ChatMessage(role="user", parts=(ImagePart(image=image), TextPart(text=f"Task: {task}{notes}"))),
        ), mapper

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """Ask the model for the next action.

        Raises:
            ModelOutputError: The answer holds no usable action (``raw`` holds it).
        """
        start = time.monotonic()
        messages, mapper = self.messages(task, observation, feedback)
        request = ChatRequest(messages=messages, max_tokens=self.options.max_tokens)
        completion = self.backend.complete(request)
        try:
            thought, action = parse_answer(completion.text, mapper)
        except ModelOutputError as e:
            raise ModelOutputError(str(e), raw=completion.text) from None
        tokens = visual_tokens(mapper.model_image, self.options.factor)
        return Decision(
            actions=(action,),
            thought=thought,
            raw=completion.text,
            usage=completion.usage.model_copy(update={"image_tokens": tokens, "calls": 1}),
            latency_s=time.monotonic() - start,
            model=self.model_id,
        )


def from_options(options: Mapping[str, Any]) -> ToyPolicy:
    """Factory of the toy policy, shaped like the registered ones."""
    opts = validate_options(ToyOptions, options, what="the toy policy")
    return ToyPolicy(opts.backend(), opts)
