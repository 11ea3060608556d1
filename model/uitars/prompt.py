"""Render UI-TARS prompts with the family-neutral image sizing and coordinate mapping.

Layout (the OSWorld UI-TARS-1.5 agent, ``mm_agents/uitars15_v1.py``): the system turn
"You are a helpful assistant.", a user turn holding the prompt text (action space,
language, instruction), then every earlier answer as an assistant turn, the last
``history_images`` of them preceded by a user turn with the screenshot they were given,
and last a user turn with the current screenshot. Earlier answers get their points wrapped
in ``<|box_start|>...<|box_end|>`` as the UI-TARS repository's ``add_box_token`` does.
Feedback (notes and re-asks) is the project's own, appended after that content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from string import Template

import yaml
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.backends.cache import IdentityCache
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.imaging import PixelBudget, resize_for_model
from screenpilot.model.types import Feedback, HistoryStep

_BOX = re.compile(r"(start_box|end_box)='\((\d+),\s*(\d+)\)'")


class TarsText(BaseModel):
    """The UI-TARS prompt text (``model/uitars/templates/uitars.yaml``)."""

    model_config = ConfigDict(frozen=True)

    version: str
    system: str
    computer: str
    mobile: str
    secrets_note: str
    reask: str
    feedback: dict[str, str]


@cache
def load_tars_text() -> TarsText:
    resource = files("screenpilot.model.uitars.templates").joinpath("uitars.yaml")
    return TarsText.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))


class TarsPromptSettings(BaseModel):
    """What shapes a UI-TARS prompt.

    Attributes:
        factor: Pixels per visual token along one side (28: UI-TARS-1.5 is Qwen2.5-VL).
        budget: UI-TARS's own limits: 100 to 16,384 tokens.
        coords: ``image`` (UI-TARS-1.5: pixels of the image it saw) or ``rel1000`` (UI-TARS
            1.0, relative 0..1000).
        language: Language the model writes its ``Thought`` in.
        history_images: Earlier steps replayed with their screenshot.
        secrets: Secret names the model may type as ``{{secret:NAME}}``.
    """

    model_config = ConfigDict(frozen=True)

    factor: int = Field(default=28, ge=1)
    budget: PixelBudget = PixelBudget(min_tokens=100, max_tokens=16384)
    coords: CoordConvention = CoordConvention.IMAGE
    language: str = "English"
    history_images: int = Field(default=4, ge=0)
    secrets: tuple[str, ...] = ()


class TarsPrompt(BaseModel):
    """A rendered prompt and the mapper its answer needs."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    messages: tuple[ChatMessage, ...]
    mapper: CoordinateMapper
    touch: bool


def with_box_tokens(answer: str) -> str:
    """``start_box='(x,y)'`` as ``start_box='<|box_start|>(x,y)<|box_end|>'``."""
    return _BOX.sub(r"\1='<|box_start|>(\2,\3)<|box_end|>'", answer)


class TarsPromptBuilder:
    """Builds one step's UI-TARS conversation."""

    def __init__(self, settings: TarsPromptSettings, text: TarsText | None = None) -> None:
        self.settings = settings
        self.text = text or load_tars_text()
        self._resized: IdentityCache[Image.Image, Image.Image] = IdentityCache(
            lambda img: resize_for_model(img, settings.factor, settings.budget),
            size=2 * settings.history_images + 4,
        )

    def model_image(self, image: Image.Image) -> Image.Image:
        return self._resized(image)

    def instruction(self, task: str, touch: bool) -> str:
        template = self.text.mobile if touch else self.text.computer
        body = Template(template).substitute(task=task, language=self.settings.language)
        if self.settings.secrets:
            names = ", ".join(self.settings.secrets)
            body += Template(self.text.secrets_note).substitute(names=names, example=self.settings.secrets[0])
        return body

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> TarsPrompt:
        touch = observation.capabilities.input == "touch"
        current = self.model_image(observation.screenshot)
        size = Size(width=current.width, height=current.height)
        messages = [
            ChatMessage.text("system", self.text.system),
            ChatMessage.text("user", self.instruction(task, touch)),
        ]
        first_shown = len(history) - self.settings.history_images
        for i, step in enumerate(history):
            if i >= first_shown and step.screenshot is not None:
                messages.append(
                    ChatMessage(role="user", parts=(ImagePart(image=self.model_image(step.screenshot)),))
                )
            messages.append(ChatMessage.text("assistant", with_box_tokens(step.raw.strip() or "(no answer)")))
        last_raw = history[-1].raw if history else None
        parts: list[TextPart | ImagePart] = [ImagePart(image=current)]
        notes = [
            Template(self.text.feedback[f.kind]).substitute(message=f.message)
            for f in feedback
            if f.kind != "invalid_output" or f.raw == last_raw
        ]
        if notes:
            parts.append(TextPart(text="\n".join(notes)))
        messages.append(ChatMessage(role="user", parts=tuple(parts)))
        for f in feedback:
            if f.kind == "invalid_output" and f.raw != last_raw:
                messages.append(ChatMessage.text("assistant", f.raw or "(empty answer)"))
                messages.append(
                    ChatMessage.text("user", Template(self.text.reask).substitute(message=f.message))
                )
        mapper = CoordinateMapper(self.settings.coords, observation.geometry, size)
        return TarsPrompt(messages=tuple(messages), mapper=mapper, touch=touch)
