"""Build Qwen-VL policies from option mappings (the ``qwen3vl`` and ``qwen3vl-local`` entries).

Options arrive from the CLI as strings; pydantic coerces them. Nothing here reads
environment variables: the CLI edge passes ``api_key`` in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from screenpilot.model.qwen.coords import CoordConvention
from screenpilot.model.qwen.grounder import GroundingMode
from screenpilot.model.qwen.imaging import budget
from screenpilot.model.qwen.policy import QwenPolicy, QwenPolicyConfig
from screenpilot.model.qwen.prompt import PromptSettings
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE, ToolName
from screenpilot.model.qwen.registry import CheckpointSpec, lookup
from screenpilot.tools.options import validate_options

ServerKind = Literal["auto", "vllm", "sglang", "dashscope", "openai", "ollama"]


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


class QwenHTTPOptions(QwenPromptOptions):
    """Options of the ``qwen3vl`` policy (an OpenAI-compatible server).

    Attributes:
        endpoint: Base URL including ``/v1``.
        model: Model name on the server.
        api_key: Bearer key (``EMPTY`` for vLLM / SGLang without auth).
        timeout_s / connect_timeout_s: Request limits.
        retries: Transient-failure retries inside the backend.
        server: ``dashscope`` adds ``vl_high_resolution_images`` so the API keeps the
            client-side size; the others need nothing extra.
        extras: JSON object merged into each request body.
        image_format: ``png`` or ``jpeg``.
    """

    endpoint: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: str = "EMPTY"
    timeout_s: float = Field(default=120.0, gt=0.0)
    connect_timeout_s: float = Field(default=10.0, gt=0.0)
    retries: int = Field(default=2, ge=0, le=10)
    server: ServerKind = "auto"
    extras: dict[str, Any] = Field(default_factory=dict)
    image_format: Literal["png", "jpeg"] = "png"

    @field_validator("extras", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as e:
                raise ValueError(f"extras must be a JSON object: {e}") from None
        return value

    def extra_body(self) -> dict[str, Any]:
        server = self.server
        if server == "auto" and "dashscope" in self.endpoint:
            server = "dashscope"
        base: dict[str, Any] = {"vl_high_resolution_images": True} if server == "dashscope" else {}
        return {**base, **self.extras}


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
    from screenpilot.model.backends.openai_http import OpenAIBackend, OpenAIBackendConfig

    opts = validate_options(QwenHTTPOptions, options, what="the qwen3vl policy")
    backend = OpenAIBackend(
        OpenAIBackendConfig(
            base_url=opts.endpoint,
            model=opts.model,
            api_key=opts.api_key,
            timeout_s=opts.timeout_s,
            connect_timeout_s=opts.connect_timeout_s,
            retries=opts.retries,
            extra_body=opts.extra_body(),
            image_format=opts.image_format,
        )
    )
    return QwenPolicy(backend, opts.policy_config(opts.model))


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
