"""What shapes a Qwen-VL prompt besides the observation, and a rendered prompt."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import Size
from screenpilot.model.backends.base import ChatMessage
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.imaging import PixelBudget
from screenpilot.model.qwen.prompt_text import ToolName


class PromptSettings(BaseModel):
    """What shapes a prompt besides the observation.

    Attributes:
        factor: Pixels per visual token along one side (32 Qwen3-VL, 28 Qwen2.5-VL).
        budget: Pixel budget of every screenshot.
        align: Also make image sides multiples of this (see
            :func:`~screenpilot.model.imaging.resized_size`; 28 for SGLang).
        coords: Coordinate convention of ``computer_use`` (and of every tool when
            ``mobile_coords`` is unset).
        mobile_coords: Coordinate convention of ``mobile_use``.
        server_rounds: With relative coordinates, send a screenshot whose sides only need
            rounding to the factor as it is, for the server to round (see
            :func:`~screenpilot.model.imaging.resize_for_model`). ``False`` always resizes
            on the client, as a fine-tuning export does: its images are what the model sees.
        history_images: How many recent steps are replayed with their screenshots.
        tool: Force a tool; by default ``mobile_use`` for touch input, ``computer_use`` else.
        browser_tool: Offer the browser tool where the environment navigates or has tabs.
        response_format: Include the Thought / Action / tool_call instructions (the
            ``screenpilot`` style; reference styles render their source's own).
        extras: Add the project's own turns to a reference style: the browser tool, the
            secrets note, notes about failed actions and the page, and re-asks.
        secrets: Secret names the model may type as ``{{secret:NAME}}``.
    """

    model_config = ConfigDict(frozen=True)

    factor: int = Field(default=32, ge=1)
    budget: PixelBudget = PixelBudget()
    align: int = Field(default=1, ge=1)
    coords: CoordConvention = CoordConvention.REL1000
    mobile_coords: CoordConvention | None = None
    server_rounds: bool = True
    history_images: int = Field(default=4, ge=0)
    tool: ToolName | None = None
    browser_tool: bool = True
    response_format: bool = True
    extras: bool = True
    secrets: tuple[str, ...] = ()

    def coords_for(self, tool: ToolName) -> CoordConvention:
        """The convention the prompt announces for ``tool`` as its primary tool."""
        if tool == "mobile_use" and self.mobile_coords is not None:
            return self.mobile_coords
        return self.coords


class RenderedPrompt(BaseModel):
    """A prompt ready for a backend, with what the parser needs to read its answer."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolName, ...]
    mapper: CoordinateMapper
    model_image: Size

    @property
    def image_count(self) -> int:
        return sum(len(m.images) for m in self.messages)
