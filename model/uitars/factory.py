"""Build the ``uitars`` policy from option mappings (``--policy uitars -P key=value``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from screenpilot.model.coords import CoordConvention
from screenpilot.model.http_options import HTTPOptions
from screenpilot.model.imaging import PixelBudget
from screenpilot.model.uitars.policy import GREEDY, UITarsConfig, UITarsPolicy
from screenpilot.model.uitars.prompt import TarsPromptSettings
from screenpilot.tools.options import validate_options

Version = Literal["1.5", "1.0"]


def version_of(model: str) -> Version:
    """UI-TARS-1.5 (Qwen2.5-VL, image pixels) unless the name says an earlier release."""
    key = model.rstrip("/").rsplit("/", 1)[-1].lower()
    earlier = (
        key.startswith("ui-tars-") and "1.5" not in key and any(s in key for s in ("-2b", "-7b-", "-72b-"))
    )
    return "1.0" if earlier else "1.5"


class UITarsOptions(HTTPOptions):
    """The neutral HTTP options plus UI-TARS's own.

    Attributes:
        version: ``1.5`` answers in pixels of the image it saw (factor 28, 100 to 16,384
            tokens); ``1.0`` (UI-TARS-2B/7B/72B-SFT/DPO) answers in relative 0..1000.
            Default: from the model name (1.5 unless it names an earlier release).
        language: Language of the ``Thought`` part (the prompt says "Use ... in Thought").
        history_images: Earlier steps replayed with their screenshot (OSWorld: 4 + current).
        secrets: Secret names the model may type as ``{{secret:NAME}}`` (comma separated).
        max_tokens / temperature / top_p / seed: Generation (greedy, 1,000 tokens by default).
        coords: Override the coordinate convention.
    """

    version: Version | None = None
    language: str = "English"
    history_images: int = Field(default=4, ge=0, le=32)
    secrets: tuple[str, ...] = ()
    max_tokens: int = Field(default=GREEDY.max_tokens, ge=1)
    temperature: float = Field(default=0.0, ge=0.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    seed: int | None = None
    coords: CoordConvention | None = None

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(s.strip() for s in value.split(",") if s.strip())
        return value

    def config(self) -> UITarsConfig:
        version = self.version or version_of(self.model)
        default = CoordConvention.IMAGE if version == "1.5" else CoordConvention.REL1000
        prompt = TarsPromptSettings(
            factor=28,
            budget=PixelBudget(min_tokens=100, max_tokens=16384),
            coords=self.coords or default,
            language=self.language,
            history_images=self.history_images,
            secrets=self.secrets,
        )
        sampling = GREEDY.overridden(
            max_tokens=self.max_tokens, temperature=self.temperature, top_p=self.top_p, seed=self.seed
        )
        return UITarsConfig(prompt=prompt, sampling=sampling)


def from_options(options: Mapping[str, Any]) -> UITarsPolicy:
    """Factory of the ``uitars`` policy."""
    opts = validate_options(UITarsOptions, options, what="the uitars policy")
    return UITarsPolicy(opts.backend(), opts.config())
