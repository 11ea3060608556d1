"""``computer_use`` as the OSWorld Qwen3-VL agent (``mm_agents/qwen3vl_agent.py``) runs it.

System turn: the tool signature (``name_for_human`` and ``args_format`` included, ASCII
escapes) and the Action + tool_call response format, with no preamble. Steps older than
the last ``history_images`` are listed in the instruction as ``Step i: <Action line>``;
the last ones are replayed as user turns holding only their screenshot (the first of
them also the instruction), each followed by the model's answer; the current screenshot
comes last, alone, or with the instruction when there is no history. OSWorld announces a
1000x1000 screen and divides by 999 (the ``osworld`` coordinate convention).
"""

from __future__ import annotations

from collections.abc import Sequence

from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.qwen.prompt_settings import RenderedPrompt
from screenpilot.model.qwen.styles.reference_base import REASK, ReferenceStyle
from screenpilot.model.types import Feedback, HistoryStep


class OSWorldStyle(ReferenceStyle):
    """The OSWorld agent's prompt."""

    def previous(self, steps: Sequence[HistoryStep]) -> str:
        texts = self.ref.texts
        if not steps:
            return texts["history_none"]
        lines = [
            self.ref.fill(texts["history_step"], index=s.index + 1, action=self.action_text(s)) for s in steps
        ]
        return texts["history_separator"].join(lines)

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        tools = self.tools_for(observation)
        current, size, mapper = self.current(observation, tools[0])
        turns = self.window(history)
        first_turn = turns[0].index if turns else None
        older = [h for h in history if first_turn is None or h.index < first_turn]
        instruction = self.ref.fill(self.ref.texts["instruction"], task=task, previous=self.previous(older))
        messages = [self.system(tools, mapper.display)]
        for i, step in enumerate(turns):
            assert step.screenshot is not None
            image = ImagePart(image=self.model_image(step.screenshot))
            parts = (image, TextPart(text=instruction)) if i == 0 else (image,)
            messages.append(ChatMessage(role="user", parts=parts))
            messages.append(ChatMessage.text("assistant", self.answer_of(step, tools[0])))
        last_raw = history[-1].raw if history else None
        notes = self.notes(observation, tools, feedback, last_raw)
        body: list[TextPart | ImagePart] = [ImagePart(image=current)]
        if not turns:
            body.append(TextPart(text=instruction))
        messages.append(self.with_notes(body, notes))
        messages.extend(self.reasks(feedback, last_raw, REASK))
        return RenderedPrompt(messages=tuple(messages), tools=tools, mapper=mapper, model_image=size)
