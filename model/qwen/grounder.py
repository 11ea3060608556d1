"""Grounding: ask a Qwen-VL model where a described element is."""

from __future__ import annotations

from string import Template
from typing import Any, Literal

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatMessage, ChatRequest, ImagePart, TextPart
from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.qwen.parser import MAX_ANSWER_CHARS, load_json_lenient, parse_response, split_think
from screenpilot.model.qwen.styles.base import PromptStyle
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import Box, Point

GroundingMode = Literal["point", "bbox"]


class QwenGrounder:
    """A :class:`~model.policy.Grounder` over a chat backend.

    ``point`` mode offers the ``computer_use`` tool and reads the click the model makes
    (how the official computer-use cookbook grounds); ``bbox`` mode asks for
    ``[{"bbox_2d": [x1, y1, x2, y2]}]``. Either way the result is in the model's coordinate
    convention, range-checked, and converted like an action's points.
    """

    def __init__(
        self,
        backend: ChatBackend,
        style: PromptStyle,
        *,
        mode: GroundingMode = "point",
        max_tokens: int = 512,
    ) -> None:
        self.backend = backend
        self.style = style
        self.mode = mode
        self.max_tokens = max_tokens

    def locate(self, observation: Observation, description: str) -> Point | Box:
        """Find ``description`` on ``observation``.

        Raises:
            ModelOutputError: When the answer holds no usable location.
        """
        image = self.style.model_image(observation.screenshot)
        size = Size(width=image.width, height=image.height)
        mapper = CoordinateMapper(self.style.settings.coords_for("computer_use"), observation.geometry, size)
        texts = self.style.grounding
        display = mapper.display
        if self.mode == "point":
            point = Template(texts["point"]).substitute(description=description)
            messages: tuple[ChatMessage, ...] = (
                self.style.system(("computer_use",), display),
                ChatMessage(role="user", parts=(ImagePart(image=image), TextPart(text=point))),
            )
        else:
            prompt = Template(texts["bbox"]).substitute(
                description=description, width=display.width, height=display.height
            )
            messages = (ChatMessage(role="user", parts=(ImagePart(image=image), TextPart(text=prompt))),)
        completion = self.backend.complete(ChatRequest(messages=messages, max_tokens=self.max_tokens))
        try:
            return read_location(completion.text, mapper)
        except ModelOutputError as e:
            raise ModelOutputError(str(e), raw=completion.text) from None


def read_location(text: str, mapper: CoordinateMapper) -> Point | Box:
    """A ``bbox_2d`` box, a ``point_2d``, or the coordinate of the first tool call in ``text``.

    Raises:
        ModelOutputError: When none is found, it lies out of range, or the answer is too
            long or too deeply nested to read.
    """
    if len(text) > MAX_ANSWER_CHARS:
        raise ModelOutputError(f"the answer was {len(text)} characters long; give only the location")
    try:
        return _read_location(text, mapper)
    except (RecursionError, ValueError, TypeError) as e:  # deep nesting, unprintable numbers
        raise ModelOutputError(f"the location could not be read ({type(e).__name__})") from None


def _read_location(text: str, mapper: CoordinateMapper) -> Point | Box:
    _, rest = split_think(text)
    if "bbox_2d" in rest or "point_2d" in rest:
        data = load_json_lenient(rest)
        found = _find_key(data, ("bbox_2d", "point_2d"))
        if found is not None:
            key, value = found
            if key == "point_2d":
                return mapper.point(value, what="point_2d")
            return _box(value, mapper)
    parsed = parse_response(text)
    for call in parsed.calls:
        if "coordinate" in call.arguments:
            return mapper.point(call.arguments["coordinate"])
    raise ModelOutputError("the answer names no location: click the element with a coordinate [x, y]")


def _find_key(data: Any, keys: tuple[str, ...]) -> tuple[str, Any] | None:
    if isinstance(data, dict):
        for k in keys:
            if k in data:
                return k, data[k]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_key(item, keys)
            if found is not None:
                return found
    return None


def _box(value: Any, mapper: CoordinateMapper) -> Box:
    if not isinstance(value, list) or len(value) != 4:
        raise ModelOutputError(f"bbox_2d must be [x1, y1, x2, y2], got {str(value)[:80]}")
    a = mapper.point(value[:2], what="bbox_2d")
    b = mapper.point(value[2:], what="bbox_2d")
    return Box(x0=min(a.x, b.x), y0=min(a.y, b.y), x1=max(a.x, b.x), y1=max(a.y, b.y), space=a.space)
