"""Build a prompt style by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from PIL import Image

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage
from screenpilot.model.qwen.prompt import PromptBuilder
from screenpilot.model.qwen.prompt_settings import PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE, ToolName, load_prompt_text
from screenpilot.model.qwen.styles.base import PromptStyle
from screenpilot.model.qwen.styles.cookbook import CookbookComputerStyle
from screenpilot.model.qwen.styles.mobile_notebook import MobileNotebookStyle
from screenpilot.model.qwen.styles.osworld import OSWorldStyle
from screenpilot.model.qwen.styles.reference_base import ReferenceStyle
from screenpilot.model.qwen.styles.reference_text import load_reference_text
from screenpilot.model.types import Feedback, HistoryStep

StyleName = Literal["cookbook", "osworld", "screenpilot"]


class ByTool:
    """One reference style for ``computer_use``, another for ``mobile_use``.

    Args:
        computer: Renders steps whose primary tool is ``computer_use``.
        mobile: Renders steps whose primary tool is ``mobile_use``.
    """

    def __init__(self, computer: ReferenceStyle, mobile: ReferenceStyle) -> None:
        self.computer = computer
        self.mobile = mobile
        self.settings = computer.settings

    @property
    def version(self) -> str:
        return self.computer.version

    @property
    def grounding(self) -> dict[str, str]:
        return self.computer.grounding

    def tools_for(self, observation: Observation) -> tuple[ToolName, ...]:
        return self.computer.tools_for(observation)

    def model_image(self, image: Image.Image) -> Image.Image:
        return self.computer.model_image(image)

    def _for(self, tool: ToolName) -> ReferenceStyle:
        return self.mobile if tool == "mobile_use" else self.computer

    def system(self, tools: Sequence[ToolName], display: Size) -> ChatMessage:
        return self._for(tools[0]).system(tools, display)

    def build(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        style = self._for(self.tools_for(observation)[0])
        return style.build(task, observation, history, feedback)


def make_style(name: StyleName, settings: PromptSettings, template: str = DEFAULT_TEMPLATE) -> PromptStyle:
    """The style ``name`` with ``settings`` (``template`` names the ``screenpilot`` text)."""
    if name == "screenpilot":
        return PromptBuilder(load_prompt_text(template), settings)
    cookbook = load_reference_text("cookbook")
    mobile = MobileNotebookStyle(cookbook, settings)
    if name == "osworld":
        return ByTool(OSWorldStyle(load_reference_text("osworld"), settings), mobile)
    return ByTool(CookbookComputerStyle(cookbook, settings), mobile)
