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
from screenpilot.model.qwen.prompt_settings import PromptSettings
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE, ToolName
from screenpilot.model.qwen.registry import CheckpointSpec, lookup
from screenpilot.model.qwen.sampling import qwen_sampling
from screenpilot.model.qwen.styles.choose import StyleName
from screenpilot.model.sampling import Sampling, SamplingMode
from screenpilot.tools.options import validate_options


class QwenPromptOptions(BaseModel):
    """Options shared by both Qwen policies.

    Attributes:
        checkpoint: Registry name whose conventions apply (default: the model name).
        thinking: Whether the checkpoint thinks before answering (default: from the name).
        prompt: Prompt style: ``cookbook`` (the Qwen3-VL cookbooks, default), ``osworld``
            (the OSWorld agent) or ``screenpilot`` (the project's own format).
        prompt_extras: Add the project's turns to a reference style (browser tool,
            secrets note, failed-action notes, re-asks); ``false`` sends the reference
            prompt only.
        coords: Override the coordinate convention (rel1000, rel999, osworld, image) of
            every tool; by default ``computer_use`` speaks the checkpoint's convention
            (``osworld`` with that style) and ``mobile_use`` the mobile notebook's 999.
        budget: Pixel-budget preset (``native`` by default; tiny, small, medium, large,
            xlarge, full).
        align: Also make image sides multiples of this (28 for SGLang: no double resample).
        history_images: Recent steps replayed with their screenshots.
        tool: Force ``computer_use`` or ``mobile_use`` (default: by input).
        browser_tool: Offer the browser tool on browser pages.
        secrets: Secret names the model may type as ``{{secret:NAME}}`` (comma separated).
        template: Text file of the ``screenpilot`` style.
        sampling: ``published`` (Qwen's evaluation settings for the checkpoint kind) or
            ``greedy``.
        max_tokens: Generated-token budget (2048 Instruct, 8192 Thinking).
        temperature / top_p / top_k / presence_penalty / repetition_penalty / seed:
            Override one sampling value.
        grounding: ``point`` or ``bbox`` for ``screenpilot ground``.
    """

    model_config = ConfigDict(extra="forbid")

    checkpoint: str | None = None
    thinking: bool | None = None
    prompt: StyleName = "cookbook"
    prompt_extras: bool = True
    coords: CoordConvention | None = None
    budget: str | None = None
    align: int = Field(default=1, ge=1, le=1024)
    history_images: int = Field(default=4, ge=0, le=32)
    tool: ToolName | None = None
    browser_tool: bool = True
    secrets: tuple[str, ...] = ()
    template: str = DEFAULT_TEMPLATE
    sampling: SamplingMode = "published"
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    top_k: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    repetition_penalty: float | None = Field(default=None, gt=0.0)
    seed: int | None = None
    grounding: GroundingMode = "point"

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(s.strip() for s in value.split(",") if s.strip())
        return value

    def spec(self, model_name: str) -> CheckpointSpec:
        """The checkpoint's conventions, with ``thinking`` overridden when given."""
        spec = lookup(self.checkpoint or model_name)
        return spec if self.thinking is None else spec.model_copy(update={"thinking": self.thinking})

    def generation(self, spec: CheckpointSpec) -> Sampling:
        """Qwen's settings for the checkpoint kind, then every override given."""
        return qwen_sampling(spec.thinking, self.sampling).overridden(
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            presence_penalty=self.presence_penalty,
            repetition_penalty=self.repetition_penalty,
            seed=self.seed,
        )

    def prompt_settings(self, spec: CheckpointSpec) -> PromptSettings:
        computer = spec.coords
        if self.prompt == "osworld" and computer is CoordConvention.REL1000:
            computer = CoordConvention.OSWORLD
        return PromptSettings(
            factor=spec.factor,
            budget=budget(self.budget or spec.budget),
            align=self.align,
            coords=self.coords or computer,
            mobile_coords=self.coords or spec.mobile_coords,
            history_images=self.history_images,
            tool=self.tool,
            browser_tool=self.browser_tool,
            extras=self.prompt_extras,
            secrets=self.secrets,
        )

    def policy_config(self, model_name: str) -> QwenPolicyConfig:
        spec = self.spec(model_name)
        return QwenPolicyConfig(
            spec=spec,
            prompt=self.prompt_settings(spec),
            style=self.prompt,
            template=self.template,
            sampling=self.generation(spec),
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
        max_new_tokens: An operator's cap on generated tokens (default: the policy's
            budget, ``max_tokens``).
    """

    model_path: str = Field(min_length=1)
    dtype: str = "auto"
    device_map: str | None = None
    attn_implementation: str | None = None
    max_new_tokens: int | None = Field(default=None, ge=1)


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
