"""Build Qwen-VL policies from option mappings (the ``qwen3vl`` and ``qwen3vl-local`` entries).

Options arrive from the CLI as strings; pydantic coerces them. Nothing here reads
environment variables: the CLI edge passes ``api_key`` in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from screenpilot.model.coords import CoordConvention
from screenpilot.model.http_options import HTTPOptions
from screenpilot.model.qwen.grounder import GroundingMode
from screenpilot.model.qwen.imaging import budget
from screenpilot.model.qwen.policy import QwenPolicy, QwenPolicyConfig
from screenpilot.model.qwen.prompt import PromptSettings
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE, ToolName
from screenpilot.model.qwen.registry import CheckpointSpec, lookup
from screenpilot.tools.options import validate_options


class QwenPromptOptions(BaseModel):
    """Options shared by both Qwen policies.

    Attributes:
        checkpoint: Registry name whose conventions apply (default: the model name).
        coords: Override the checkpoint's coordinate convention (rel1000, rel999, image).
        budget: Pixel-budget preset (tiny, small, medium, large, xlarge, full).
        history_images: Recent steps replayed with their screenshots.
        tool: Force ``computer_use`` or ``mobile_use`` (default: by platform).
        browser_tool: Offer the browser tool on browser pages.
        secrets: Secret names the model may type as ``{{secret:NAME}}`` (comma separated).
        template: Prompt-text file name.
        max_tokens: Cap on generated tokens (default 1024, 4096 for thinking checkpoints).
        temperature: Sampling temperature.
        grounding: ``point`` or ``bbox`` for ``screenpilot ground``.
    """

    model_config = ConfigDict(extra="forbid")

    checkpoint: str | None = None
    coords: CoordConvention | None = None
    budget: str | None = None
    history_images: int = Field(default=4, ge=0, le=32)
    tool: ToolName | None = None
    browser_tool: bool = True
    secrets: tuple[str, ...] = ()
    template: str = DEFAULT_TEMPLATE
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float = Field(default=0.0, ge=0.0)
    grounding: GroundingMode = "point"

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(s.strip() for s in value.split(",") if s.strip())
        return value

    def policy_config(self, model_name: str) -> QwenPolicyConfig:
        spec: CheckpointSpec = lookup(self.checkpoint or model_name)
        settings = PromptSettings(
            factor=spec.factor,
            budget=budget(self.budget or spec.budget),
            coords=self.coords or spec.coords,
            history_images=self.history_images,
            tool=self.tool,
            browser_tool=self.browser_tool,
            secrets=self.secrets,
        )
        return QwenPolicyConfig(
            spec=spec,
            prompt=settings,
            template=self.template,
            max_tokens=self.max_tokens or (4096 if spec.thinking else 1024),
            temperature=self.temperature,
            grounding=self.grounding,
        )


class QwenHTTPOptions(QwenPromptOptions, HTTPOptions):
    """Options of the ``qwen3vl`` policy: the prompt options plus the connection options of
    :class:`~screenpilot.model.http_options.HTTPOptions` (an OpenAI-compatible server)."""


class QwenLocalOptions(QwenPromptOptions):
    """Options of the ``qwen3vl-local`` policy (transformers in-process).

    Attributes:
        model_path: Checkpoint directory or cached hub id.
        dtype: auto, bfloat16, float16, float32.
        device_map: auto, cpu, cuda, cuda:N.
        attn_implementation: sdpa, eager, flash_attention_2.
        max_new_tokens: Cap on generated tokens.
    """

    model_path: str = Field(min_length=1)
    dtype: str = "auto"
    device_map: str | None = None
    attn_implementation: str | None = None
    max_new_tokens: int = Field(default=512, ge=1)


def from_http_options(options: Mapping[str, Any]) -> QwenPolicy:
    """Factory of the ``qwen3vl`` policy."""
    opts = validate_options(QwenHTTPOptions, options, what="the qwen3vl policy")
    return QwenPolicy(opts.backend(), opts.policy_config(opts.model))


def from_local_options(options: Mapping[str, Any]) -> QwenPolicy:
    """Factory of the ``qwen3vl-local`` policy."""
    from screenpilot.model.backends.transformers_local import LocalBackendConfig, TransformersBackend

    opts = validate_options(QwenLocalOptions, options, what="the qwen3vl-local policy")
    config = opts.policy_config(opts.model_path)
    factor = config.spec.factor
    backend = TransformersBackend(
        LocalBackendConfig(
            model_path=opts.model_path,
            dtype=opts.dtype,
            device_map=opts.device_map,
            attn_implementation=opts.attn_implementation,
            max_new_tokens=opts.max_new_tokens,
            min_pixels=config.prompt.budget.min_pixels(factor),
            max_pixels=config.prompt.budget.max_pixels(factor),
        )
    )
    return QwenPolicy(backend, config)
