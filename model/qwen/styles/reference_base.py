"""What the reference styles share: their text, their system turn and answer replay."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.qwen.parser import split_think
from screenpilot.model.qwen.prompt_settings import PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import ToolName
from screenpilot.model.qwen.styles.base import StyleBase
from screenpilot.model.qwen.styles.reference_text import ReferenceText
from screenpilot.model.types import Feedback, HistoryStep

REASK = (
    "Your previous response could not be used: $message\n"
    'Look at the screenshot again and answer with one <tool_call>{"name": <function-name>, '
    '"arguments": <args-json-object>}</tool_call> block.'
)
"""The re-ask turn of the reference styles (an extra: their sources never re-ask)."""


class ReferenceStyle(StyleBase, ABC):
    """A style whose text comes from a :class:`ReferenceText`.

    Args:
        text: The source's text.
        settings: Prompt settings.
    """

    def __init__(self, text: ReferenceText, settings: PromptSettings) -> None:
        super().__init__(settings)
        self.ref = text

    @property
    def version(self) -> str:
        return self.ref.version

    @abstractmethod
    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        """Render one step's prompt in the source's layout."""

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage:
        """The source's system turn; the browser tool and secrets note are extras."""
        return self.system_from(self.ref.system, self.ref.tools, tools, display)

    def system_from(
        self, template: str, own: dict[str, dict[str, object]], tools: Sequence[ToolName], display: Size
    ) -> ChatMessage:
        lines = []
        for name in tools:
            spec = own.get(name) or self.extra_text.tools[name]
            lines.append(self.ref.tool_line(name, dict(spec), display))
        parts = [TextPart(text=self.ref.render_system(template, lines))]
        note = self.secrets_note()
        if note:
            parts.append(TextPart(text="\n\n" + note))
        return ChatMessage(role="system", parts=tuple(parts))

    def answer_of(self, step: HistoryStep, tool: ToolName) -> str:
        """An earlier answer as it is replayed: verbatim, without its reasoning (the
        server's chat template drops earlier reasoning of thinking checkpoints anyway)."""
        answer = split_think(step.raw)[1].strip()
        if answer:
            return answer
        calls = [{"name": tool, "arguments": {"action": a.action}} for a in step.actions]
        return "\n".join(f"<tool_call>\n{json.dumps(c)}\n</tool_call>" for c in calls)

    @staticmethod
    def with_notes(parts: list[TextPart | ImagePart], notes: list[str]) -> ChatMessage:
        """A user turn, the extras' notes appended after the source's content."""
        if notes:
            parts = [*parts, TextPart(text="\n\n" + "\n".join(notes))]
        return ChatMessage(role="user", parts=tuple(parts))
