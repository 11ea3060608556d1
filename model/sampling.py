"""Generation settings of a policy, for any model family: how tokens are sampled and how many.

A family publishes the values its checkpoints were evaluated with (Qwen3-VL: one set for
Instruct, one for Thinking checkpoints); a policy starts from those and lets the user
override any field or switch to greedy decoding. :meth:`Sampling.request_fields` turns the
settings into :class:`~screenpilot.model.backends.base.ChatRequest` fields, which every
backend (HTTP, transformers) honours.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SamplingMode = Literal["published", "greedy"]
"""``published``: the family's evaluation settings; ``greedy``: always the most likely token."""


class Sampling(BaseModel):
    """How a policy asks for tokens.

    Attributes:
        temperature: 0 means greedy decoding.
        top_p: Nucleus sampling (``None``: the server's default).
        top_k: Keep the ``top_k`` most likely tokens (``None``: no limit).
        presence_penalty: Penalty on tokens already generated (``None``: none sent).
        repetition_penalty: Multiplicative repetition penalty (``None``: none sent).
        seed: Sampling seed where the backend honours one.
        max_tokens: Generated-token budget of one answer.
    """

    model_config = ConfigDict(frozen=True)

    temperature: float = Field(default=0.0, ge=0.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    top_k: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    repetition_penalty: float | None = Field(default=None, gt=0.0)
    seed: int | None = None
    max_tokens: int = Field(default=2048, ge=1)

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0

    def as_greedy(self) -> Sampling:
        """The same budget with greedy decoding (no sampling parameters sent)."""
        return Sampling(max_tokens=self.max_tokens, seed=self.seed)

    def overridden(self, **values: Any) -> Sampling:
        """A copy with every non-``None`` value of ``values`` replacing the field."""
        update = {k: v for k, v in values.items() if v is not None}
        return self.model_validate({**self.model_dump(), **update}) if update else self

    def request_fields(self) -> dict[str, Any]:
        """Keyword arguments for :class:`~screenpilot.model.backends.base.ChatRequest`.

        Greedy decoding sends ``temperature=0`` and nothing else: sampling parameters mean
        nothing then, and some servers reject ``top_p`` with a zero temperature.
        """
        fields: dict[str, Any] = {"max_tokens": self.max_tokens, "temperature": self.temperature}
        if self.seed is not None:
            fields["seed"] = self.seed
        if self.greedy:
            return fields
        for key in ("top_p", "top_k", "presence_penalty", "repetition_penalty"):
            value = getattr(self, key)
            if value is not None:
                fields[key] = value
        return fields
