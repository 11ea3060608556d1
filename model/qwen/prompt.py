"""The ``screenpilot`` prompt style: the project's own Qwen-VL agent prompt.

Turn layout (after the reference OSWorld Qwen3-VL agent): the system turn holds the tool
signatures and the response format (Thought, Action, one tool call); steps older than the
last ``history_images`` go into the instruction as text (``Step i: ...``); the last ones
are replayed as user turns with their screenshot followed by the model's own answer; the
current screenshot comes last. Feedback from the agent is rendered as the model would see
a conversation go on: a bad answer is followed by a user turn with the error (re-ask),
other kinds become notes in the current turn. The reference styles (``cookbook``,
``osworld``) live in :mod:`screenpilot.model.qwen.styles`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.qwen.parser import parse_response, split_think
from screenpilot.model.qwen.prompt_settings import PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import PromptText, ToolName
from screenpilot.model.qwen.styles.base import StyleBase
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.errors import ModelOutputError

__all__ = ["PromptBuilder", "PromptSettings", "RenderedPrompt"]


class PromptBuilder(StyleBase):
    """Builds the messages of one step from the task, observation, history and feedback."""

    def __init__(self, text: PromptText, settings: PromptSettings) -> None:
        super().__init__(settings, extra_text=text)
        self.text = text

    @property
    def version(self) -> str:
        return self.text.version

    @property
    def offers_extras(self) -> bool:
        return True  # this style's own format includes them

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage:
        """The system turn: preamble, tool signatures, response format, secrets."""
        parts = [self.text.system_preamble, self.text.tools_block(list(tools), display)]
        if self.settings.response_format:
            parts.append(self.text.response_format)
        parts.append(self.secrets_note())
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
        current, size, mapper = self.current(observation, tools[0])
        turns = self.window(history)
        first_turn = turns[0].index if turns else None
        older = [h for h in history if first_turn is None or h.index < first_turn]
        instruction = self.text.fill(
            self.text.instruction[tools[0]], task=task, previous=self._previous(older, tools[0])
        )
        messages = [self.system(tools, mapper.display)]
        for i, step in enumerate(turns):
            assert step.screenshot is not None
            head: list[TextPart | ImagePart] = [ImagePart(image=self.model_image(step.screenshot))]
            messages.append(
                ChatMessage(role="user", parts=(*head, *([TextPart(text=instruction)] if i == 0 else [])))
            )
            messages.append(ChatMessage.text("assistant", self._answer_of(step, tools[0])))
        last_raw = history[-1].raw if history else None
        notes = self.notes(observation, tools, feedback, last_raw)
        texts = ([] if turns else [instruction]) + (["\n".join(notes)] if notes else [])
        body: list[TextPart | ImagePart] = [ImagePart(image=current)]
        if texts:
            body.append(TextPart(text="\n\n".join(texts)))
        messages.append(ChatMessage(role="user", parts=tuple(body)))
        messages.extend(self.reasks(feedback, last_raw, self.text.feedback["invalid_output"]))
        return RenderedPrompt(messages=tuple(messages), tools=tools, mapper=mapper, model_image=size)

    # -- pieces ---------------------------------------------------------------------------

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
        if step.actions and step.raw and tool == "mobile_use":
            try:
                call = parse_response(step.raw).calls[0]
            except ModelOutputError:
                return self.action_text(step)
            return json.dumps({"name": call.name or tool, "arguments": call.arguments}, ensure_ascii=False)
        return self.action_text(step)

    def _answer_of(self, step: HistoryStep, tool: ToolName) -> str:
        # Earlier answers are replayed without their reasoning, as Qwen's thinking chat
        # templates do: it costs tokens and the model only needs what it decided.
        answer = split_think(step.raw)[1].strip()
        if answer:
            return answer
        calls = [{"name": tool, "arguments": {"action": a.action}} for a in step.actions]
        return "\n".join(f"<tool_call>\n{json.dumps(c)}\n</tool_call>" for c in calls)
