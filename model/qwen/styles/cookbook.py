"""``computer_use`` as Qwen3-VL's ``cookbooks/computer_use.ipynb`` runs it.

The first step is the cookbook byte for byte: the system turn "You are a helpful
assistant." with the ``computer_use`` tool rendered by qwen-agent's function-call prompt
(no response-format block), then one user turn holding the screenshot and the task as
written. The cookbook stops there; later steps continue the conversation the way
qwen-agent continues any function-calling conversation: the model's answer as an
assistant turn, then a user turn ``<tool_response>\\n<screenshot>\\n</tool_response>``
with the screen the call produced. Screenshots older than the last ``history_images``
steps are left out of their turns (``(screenshot omitted)``), so the number of images per
prompt stays bounded while every earlier call stays in the conversation.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.qwen.prompt_settings import RenderedPrompt
from screenpilot.model.qwen.styles.reference_base import REASK, ReferenceStyle
from screenpilot.model.types import Feedback, HistoryStep


class CookbookComputerStyle(ReferenceStyle):
    """The computer-use cookbook, continued as a qwen-agent conversation."""

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        tools = self.tools_for(observation)
        current, size, mapper = self.current(observation, tools[0])
        shown = {id(step) for step in self.window(history)}
        last_raw = history[-1].raw if history else None
        notes = self.notes(observation, tools, feedback, last_raw)
        screens: list[Image.Image | None] = [
            self.model_image(s.screenshot) if id(s) in shown and s.screenshot is not None else None
            for s in history
        ]
        screens.append(current)
        first: list[TextPart | ImagePart] = [ImagePart(image=screens[0])] if screens[0] else []
        messages = [self.system(tools, mapper.display)]
        turns: list[list[TextPart | ImagePart]] = [[*first, TextPart(text=task)]]
        for step, screen in zip(history, screens[1:], strict=True):
            messages.append(self.with_notes(turns[-1], []))
            messages.append(ChatMessage.text("assistant", self.answer_of(step, tools[0])))
            turns.append(self._tool_response(screen))
        messages.append(self.with_notes(turns[-1], notes))
        messages.extend(self.reasks(feedback, last_raw, REASK))
        return RenderedPrompt(messages=tuple(messages), tools=tools, mapper=mapper, model_image=size)

    def _tool_response(self, screen: Image.Image | None) -> list[TextPart | ImagePart]:
        texts = self.ref.texts
        if screen is None:
            body = texts["tool_response_open"] + texts["screenshot_omitted"] + texts["tool_response_close"]
            return [TextPart(text=body)]
        return [
            TextPart(text=texts["tool_response_open"]),
            ImagePart(image=screen),
            TextPart(text=texts["tool_response_close"]),
        ]
