"""Render Qwen-VL agent prompts: tools in the system turn, multi-step history, feedback.

Turn layout (after the reference OSWorld Qwen3-VL agent): the system turn holds the tool
signatures and the response format; steps older than the last ``history_images`` go into
the instruction as text (``Step i: ...``); the last ones are replayed as user turns with
their screenshot followed by the model's own answer; the current screenshot comes last.
Feedback from the agent is rendered as the model would see a conversation go on: a bad
answer is followed by a user turn with the error (re-ask), other kinds become notes in the
current turn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.backends.cache import IdentityCache
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.imaging import PixelBudget, resize_for_model
from screenpilot.model.qwen.action_map import BROWSER_ACTIONS
from screenpilot.model.qwen.parser import parse_response, split_think
from screenpilot.model.qwen.prompt_text import PromptText, ToolName
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.errors import ModelOutputError


class PromptSettings(BaseModel):
    """What shapes a prompt besides the observation.

    Attributes:
        factor: Pixels per visual token along one side (32 Qwen3-VL, 28 Qwen2.5-VL).
        budget: Pixel budget of every screenshot.
        coords: Coordinate convention the tools announce.
        history_images: How many recent steps are replayed with their screenshots.
        tool: Force a tool; by default ``mobile_use`` for touch input, ``computer_use`` else.
        browser_tool: Offer the browser tool where the environment navigates or has tabs.
        response_format: Include the Thought / Action / tool_call instructions.
        secrets: Secret names the model may type as ``{{secret:NAME}}``.
    """

    model_config = ConfigDict(frozen=True)

    factor: int = Field(default=32, ge=1)
    budget: PixelBudget = PixelBudget()
    coords: CoordConvention = CoordConvention.REL1000
    history_images: int = Field(default=4, ge=0)
    tool: ToolName | None = None
    browser_tool: bool = True
    response_format: bool = True
    secrets: tuple[str, ...] = ()


class RenderedPrompt(BaseModel):
    """A prompt ready for a backend, with what the parser needs to read its answer."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolName, ...]
    mapper: CoordinateMapper
    model_image: Size


class PromptBuilder:
    """Builds the messages of one step from the task, observation, history and feedback."""

    def __init__(self, text: PromptText, settings: PromptSettings) -> None:
        self.text = text
        self.settings = settings
        self._resized: IdentityCache[Image.Image, Image.Image] = IdentityCache(
            lambda img: resize_for_model(img, settings.factor, settings.budget),
            size=2 * settings.history_images + 4,
        )

    def tools_for(self, observation: Observation) -> tuple[ToolName, ...]:
        """The tools offered: ``mobile_use`` for touch input, else ``computer_use``, plus
        ``browser_use`` when the environment executes any of its verbs."""
        caps = observation.capabilities
        primary: ToolName = self.settings.tool or ("mobile_use" if caps.input == "touch" else "computer_use")
        if self.settings.browser_tool and primary == "computer_use" and caps.actions & BROWSER_ACTIONS:
            return (primary, "browser_use")
        return (primary,)

    def model_image(self, image: Image.Image) -> Image.Image:
        """``image`` at the size the model sees (cached: history images recur every step)."""
        return self._resized(image)

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage:
        """The system turn: preamble, tool signatures, response format, secrets."""
        parts = [self.text.system_preamble, self.text.tools_block(list(tools), display)]
        if self.settings.response_format:
            parts.append(self.text.response_format)
        if self.settings.secrets:
            names = ", ".join(self.settings.secrets)
            parts.append(
                self.text.fill(self.text.secrets_note, names=names, example=self.settings.secrets[0])
            )
        return ChatMessage.text("system", "\n\n".join(p for p in parts if p))

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        """Render one step's prompt."""
        tools = self.tools_for(observation)
        current = self.model_image(observation.screenshot)
        size = Size(width=current.width, height=current.height)
        display = self.settings.coords.display_size(size)
        turns = self._turn_steps(history)
        first_turn = turns[0].index if turns else None
        older = [h for h in history if first_turn is None or h.index < first_turn]
        instruction = self.text.fill(
            self.text.instruction[tools[0]], task=task, previous=self._previous(older, tools[0])
        )
        messages = [self.system(tools, display)]
        for i, step in enumerate(turns):
            assert step.screenshot is not None
            head: list[TextPart | ImagePart] = [ImagePart(image=self.model_image(step.screenshot))]
            messages.append(
                ChatMessage(role="user", parts=(*head, *([TextPart(text=instruction)] if i == 0 else [])))
            )
            messages.append(ChatMessage.text("assistant", self._answer_of(step, tools[0])))
        last_raw = history[-1].raw if history else None
        notes = self._notes(observation, tools, feedback, last_raw)
        texts = ([] if turns else [instruction]) + (["\n".join(notes)] if notes else [])
        body: list[TextPart | ImagePart] = [ImagePart(image=current)]
        if texts:
            body.append(TextPart(text="\n\n".join(texts)))
        messages.append(ChatMessage(role="user", parts=tuple(body)))
        for f in feedback:
            if f.kind == "invalid_output" and f.raw != last_raw:
                messages.append(ChatMessage.text("assistant", f.raw or "(empty answer)"))
                messages.append(
                    ChatMessage.text("user", self.text.fill(self.text.feedback[f.kind], message=f.message))
                )
        mapper = CoordinateMapper(self.settings.coords, observation.geometry, size)
        return RenderedPrompt(messages=tuple(messages), tools=tools, mapper=mapper, model_image=size)

    # -- pieces ---------------------------------------------------------------------------

    def _turn_steps(self, history: Sequence[HistoryStep]) -> list[HistoryStep]:
        """The last steps replayed as turns: ones with a screenshot and a valid answer."""
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

    def _previous(self, steps: Sequence[HistoryStep], tool: ToolName) -> str:
        if not steps:
            return self.text.history_none
        sep = (
            self.text.history_separator_mobile_use
            if tool == "mobile_use"
            else self.text.history_separator_computer_use
        )
        lines = [
            self.text.fill(self.text.history_step, index=s.index + 1, action=self._summary(s, tool))
            for s in steps
        ]
        return sep.join(lines)

    def _summary(self, step: HistoryStep, tool: ToolName) -> str:
        if not step.actions:
            return f"(no valid action: {step.outcome or 'the answer could not be used'})"
        try:
            parsed = parse_response(step.raw) if step.raw else None
        except ModelOutputError:
            parsed = None
        if parsed is not None and tool == "mobile_use":
            call = parsed.calls[0]
            return json.dumps({"name": call.name or tool, "arguments": call.arguments}, ensure_ascii=False)
        if parsed is not None and parsed.action_text:
            return parsed.action_text
        return "; ".join(a.describe() for a in step.actions)

    def _answer_of(self, step: HistoryStep, tool: ToolName) -> str:
        # Earlier answers are replayed without their reasoning, as Qwen's thinking chat
        # templates do: it costs tokens and the model only needs what it decided.
        answer = split_think(step.raw)[1].strip()
        if answer:
            return answer
        calls = [{"name": tool, "arguments": {"action": a.action}} for a in step.actions]
        return "\n".join(f"<tool_call>\n{json.dumps(c)}\n</tool_call>" for c in calls)

    def _notes(
        self,
        observation: Observation,
        tools: Sequence[ToolName],
        feedback: Sequence[Feedback],
        last_raw: str | None,
    ) -> list[str]:
        notes: list[str] = []
        for f in feedback:
            if f.kind != "invalid_output" or f.raw == last_raw:
                notes.append(self.text.fill(self.text.feedback[f.kind], message=f.message))
        if "browser_use" in tools and observation.url:
            tabs = "\n".join(
                f"{t.index}: {t.title or '(untitled)'} - {t.url}{' (current)' if t.active else ''}"
                for t in observation.tabs
            )
            notes.append(
                self.text.fill(self.text.browser_state, url=observation.url, tabs=tabs or "(one tab)")
            )
        return notes
