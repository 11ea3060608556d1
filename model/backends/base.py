"""The backend seam: a neutral chat request in, the model's raw text out."""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.model.types import Usage

Role = Literal["system", "user", "assistant"]


class TextPart(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str


class ImagePart(BaseModel):
    """An image, already resized to the size the model must see."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    image: Image.Image = Field(exclude=True)

    @property
    def size(self) -> tuple[int, int]:
        return self.image.width, self.image.height


class ChatMessage(BaseModel):
    """One turn of a conversation."""

    model_config = ConfigDict(frozen=True)

    role: Role
    parts: tuple[TextPart | ImagePart, ...]

    @classmethod
    def text(cls, role: Role, text: str) -> ChatMessage:
        return cls(role=role, parts=(TextPart(text=text),))

    def text_content(self) -> str:
        """The text parts joined (images left out)."""
        return "".join(p.text for p in self.parts if isinstance(p, TextPart))

    @property
    def images(self) -> list[Image.Image]:
        return [p.image for p in self.parts if isinstance(p, ImagePart)]


class ChatRequest(BaseModel):
    """Everything a backend needs for one completion.

    Attributes:
        messages: The conversation, system turn first.
        max_tokens: Cap on generated tokens.
        temperature: Sampling temperature (0 means greedy where supported).
        top_p: Nucleus sampling.
        top_k: Keep only the ``top_k`` most likely tokens (vLLM, SGLang and DashScope
            accept it as an extra body field; transformers natively).
        presence_penalty: Subtracted once from the logits of every token already
            generated (OpenAI semantics; vLLM and SGLang implement it).
        repetition_penalty: Multiplicative penalty on repeated tokens (1.0 is none).
        seed: Sampling seed, where the server honours one.
        stop: Stop strings.
    """

    model_config = ConfigDict(frozen=True)

    messages: tuple[ChatMessage, ...] = Field(min_length=1)
    max_tokens: int = Field(default=1024, ge=1)
    temperature: float = Field(default=0.0, ge=0.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    top_k: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    repetition_penalty: float | None = Field(default=None, gt=0.0)
    seed: int | None = None
    stop: tuple[str, ...] = ()

    @property
    def image_count(self) -> int:
        return sum(len(m.images) for m in self.messages)


class Completion(BaseModel):
    """What came back.

    Attributes:
        text: The raw content, verbatim (tool calls are parsed from it, never from a
            server's tool-call parser).
        reasoning: Separate reasoning text (``reasoning_content``) when the server splits it.
        usage: Tokens spent.
        model: The model name the server reported.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    reasoning: str | None = None
    usage: Usage = Usage()
    model: str = ""


@runtime_checkable
class ChatBackend(Protocol):
    """Sends a chat request to a model.

    Raises (from :meth:`complete`): ``ModelTransportError`` / ``ModelTimeout`` for
    transient failures, ``ConfigError`` for a wrong URL, key or model name, and
    ``ModelError`` for anything else the model side refused.
    """

    @property
    def model_id(self) -> str: ...

    def complete(self, request: ChatRequest) -> Completion: ...
