"""``mobile_use`` as Qwen3-VL's ``cookbooks/mobile_agent.ipynb`` runs it.

One user turn per step: the query text first, then the current screenshot (no earlier
screenshots). The text is ``The user query: <task>.`` and, on a new line, the task
progress as sentences, ``Step 1: <sentence>; Step 2: <sentence>; `` followed by ``.``.
Each sentence is the ``Action:`` line of that step's answer with newlines and double
quotes removed, as the notebook cleans its history.
"""

from __future__ import annotations

from collections.abc import Sequence

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.qwen.prompt_settings import RenderedPrompt
from screenpilot.model.qwen.prompt_text import ToolName
from screenpilot.model.qwen.styles.reference_base import REASK, ReferenceStyle
from screenpilot.model.types import Feedback, HistoryStep


class MobileNotebookStyle(ReferenceStyle):
    """The mobile notebook's system turn, tool and user turn."""

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage:
        return self.system_from(self.ref.mobile_system, self.ref.mobile_tools, tools, display)

    def progress(self, history: Sequence[HistoryStep]) -> str:
        """``Step 1: ...; Step 2: ...; `` (empty before the first step)."""
        texts = self.ref.texts
        return "".join(
            self.ref.fill(
                texts["mobile_history_step"],
                index=i + 1,
                action=self.action_text(step).replace("\n", "").replace('"', ""),
            )
            for i, step in enumerate(history)
        )

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        tools = self.tools_for(observation)
        current, size, mapper = self.current(observation, tools[0])
        query = self.ref.fill(self.ref.texts["user_query"], task=task, previous=self.progress(history))
        last_raw = history[-1].raw if history else None
        notes = self.notes(observation, tools, feedback, last_raw)
        messages = [
            self.system(tools, mapper.display),
            self.with_notes([TextPart(text=query), ImagePart(image=current)], notes),
            *self.reasks(feedback, last_raw, REASK),
        ]
        return RenderedPrompt(messages=tuple(messages), tools=tools, mapper=mapper, model_image=size)
