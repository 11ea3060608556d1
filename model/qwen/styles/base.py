"""The prompt-style seam and what every style shares.

A style renders one step's conversation (system turn, history, current screenshot) from
the task, the observation, the history and the agent's feedback. The reference styles
(``cookbook``, ``osworld``) reproduce their sources byte for byte; what the project adds
on top (the browser tool, the secrets note, notes about failed actions and the page,
re-asks after an unusable answer) comes from :class:`StyleBase`, is appended after the
reference content, and disappears with ``extras=False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PIL import Image

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage
from screenpilot.model.backends.cache import IdentityCache
from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.imaging import resize_for_model
from screenpilot.model.qwen.action_map import BROWSER_ACTIONS
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.prompt_settings import PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import PromptText, ToolName, load_prompt_text
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.errors import ModelOutputError


class PromptStyle(Protocol):
    """Renders prompts in one style (see :mod:`screenpilot.model.qwen.styles`)."""

    settings: PromptSettings

    @property
    def version(self) -> str: ...

    @property
    def grounding(self) -> dict[str, str]: ...

    def tools_for(self, observation: Observation) -> tuple[ToolName, ...]: ...

    def model_image(self, image: Image.Image) -> Image.Image: ...

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage: ...

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt: ...


class StyleBase:
    """Image sizing, tool choice, the history window and the project's extras.

    Args:
        settings: Prompt settings.
        extra_text: Where the extras' text comes from (the ``screenpilot`` template).
    """

    def __init__(self, settings: PromptSettings, extra_text: PromptText | None = None) -> None:
        self.settings = settings
        self.extra_text = extra_text or load_prompt_text()
        relative = settings.server_rounds and all(
            c.relative for c in (settings.coords, settings.mobile_coords or settings.coords)
        )
        self._resized: IdentityCache[Image.Image, Image.Image] = IdentityCache(
            lambda img: resize_for_model(
                img, settings.factor, settings.budget, settings.align, relative=relative
            ),
            size=2 * settings.history_images + 4,
        )

    @property
    def grounding(self) -> dict[str, str]:
        return self.extra_text.grounding

    @property
    def offers_extras(self) -> bool:
        return self.settings.extras

    def tools_for(self, observation: Observation) -> tuple[ToolName, ...]:
        """The tools offered: ``mobile_use`` for touch input, else ``computer_use``, plus
        ``browser_use`` when the environment executes any of its verbs."""
        caps = observation.capabilities
        primary: ToolName = self.settings.tool or ("mobile_use" if caps.input == "touch" else "computer_use")
        browser = self.settings.browser_tool and self.offers_extras
        if browser and primary == "computer_use" and caps.actions & BROWSER_ACTIONS:
            return (primary, "browser_use")
        return (primary,)

    def model_image(self, image: Image.Image) -> Image.Image:
        """``image`` at the size the model sees (cached: history images recur every step)."""
        return self._resized(image)

    def current(self, observation: Observation, tool: ToolName) -> tuple[Image.Image, Size, CoordinateMapper]:
        """The current screenshot as sent, its size, and the mapper for the answer."""
        image = self.model_image(observation.screenshot)
        size = Size(width=image.width, height=image.height)
        mapper = CoordinateMapper(self.settings.coords_for(tool), observation.geometry, size)
        return image, size, mapper

    def window(self, history: Sequence[HistoryStep]) -> list[HistoryStep]:
        """The last steps replayed with their screenshot (ones with a valid answer)."""
        n = self.settings.history_images
        if n == 0:
            return []
        tail: list[HistoryStep] = []
        for step in reversed(history):
            if step.screenshot is None or not step.actions:
                break
            tail.append(step)
            if len(tail) == n:
                break
        return list(reversed(tail))

    def action_text(self, step: HistoryStep) -> str:
        """A step as one line: its answer's ``Action:`` line, else the actions described."""
        if not step.actions:
            return f"(no valid action: {step.outcome or 'the answer could not be used'})"
        try:
            parsed = parse_response(step.raw) if step.raw else None
        except ModelOutputError:
            parsed = None
        if parsed is not None and parsed.action_text:
            return parsed.action_text
        return "; ".join(a.describe() for a in step.actions)

    # -- the project's extras ------------------------------------------------------------

    def secrets_note(self) -> str:
        """The secrets section of the system turn ('' without secrets or extras)."""
        if not (self.settings.secrets and self.offers_extras):
            return ""
        text = self.extra_text
        names = ", ".join(self.settings.secrets)
        return text.fill(text.secrets_note, names=names, example=self.settings.secrets[0])

    def notes(
        self,
        observation: Observation,
        tools: Sequence[ToolName],
        feedback: Sequence[Feedback],
        last_raw: str | None,
    ) -> list[str]:
        """Feedback other than re-asks, and the browser's URL and tabs."""
        if not self.offers_extras:
            return []
        text = self.extra_text
        notes: list[str] = []
        for f in feedback:
            if f.kind != "invalid_output" or f.raw == last_raw:
                notes.append(text.fill(text.feedback[f.kind], message=f.message))
        if "browser_use" in tools and observation.url:
            tabs = "\n".join(
                f"{t.index}: {t.title or '(untitled)'} - {t.url}{' (current)' if t.active else ''}"
                for t in observation.tabs
            )
            notes.append(text.fill(text.browser_state, url=observation.url, tabs=tabs or "(one tab)"))
        return notes

    def reasks(
        self, feedback: Sequence[Feedback], last_raw: str | None, reask_text: str
    ) -> list[ChatMessage]:
        """The unusable answers and what was wrong with them, as the conversation goes on."""
        if not self.offers_extras:
            return []
        out: list[ChatMessage] = []
        for f in feedback:
            if f.kind == "invalid_output" and f.raw != last_raw:
                out.append(ChatMessage.text("assistant", f.raw or "(empty answer)"))
                out.append(ChatMessage.text("user", self.extra_text.fill(reask_text, message=f.message)))
        return out
