"""Published Qwen-VL checkpoints and the conventions each one speaks.

A served model name rarely matches a hub id exactly (``vllm serve --served-model-name``,
DashScope aliases, local directories), so :func:`lookup` also matches on the last path
component, ignores case and quantisation suffixes, and falls back to the Qwen3-VL defaults.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.model.coords import CoordConvention

Family = Literal["qwen3-vl", "qwen2.5-vl"]


class CheckpointSpec(BaseModel):
    """What the prompt builder and parser need to know about a checkpoint.

    Attributes:
        id: Hub id (or a hosted API's model name).
        family: Model family; decides the image factor.
        coords: Coordinate convention of its answers.
        budget: Default pixel-budget preset (``native``: the processor's own limits).
        thinking: Whether it writes ``<think>...</think>`` before answering.
        params: Parameter count, for reports.
        min_gpus: Smallest tensor-parallel size that fits it in 80 GB GPUs (bf16/FP8).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    family: Family = "qwen3-vl"
    coords: CoordConvention = CoordConvention.REL1000
    budget: str = "native"
    thinking: bool = False
    params: str = ""
    min_gpus: int = 1

    @property
    def mobile_coords(self) -> CoordConvention:
        """The convention for ``mobile_use``: Qwen3-VL's mobile notebook announces a
        999x999 screen and divides by 999; image-pixel families keep their own."""
        return CoordConvention.REL999 if self.coords is CoordConvention.REL1000 else self.coords

    @property
    def patch_size(self) -> int:
        return 16 if self.family == "qwen3-vl" else 14

    @property
    def merge_size(self) -> int:
        return 2

    @property
    def factor(self) -> int:
        """Pixels per visual token along one side (32 for Qwen3-VL, 28 for Qwen2.5-VL)."""
        return self.patch_size * self.merge_size


def _qwen3(size: str, gpus: int) -> list[CheckpointSpec]:
    out = []
    for variant in ("Instruct", "Thinking"):
        for suffix in ("", "-FP8"):
            out.append(
                CheckpointSpec(
                    id=f"Qwen/Qwen3-VL-{size}-{variant}{suffix}",
                    thinking=variant == "Thinking",
                    params=size,
                    min_gpus=max(1, gpus // 2) if suffix else gpus,
                )
            )
    return out


CHECKPOINTS: tuple[CheckpointSpec, ...] = (
    *_qwen3("2B", 1),
    *_qwen3("4B", 1),
    *_qwen3("8B", 1),
    *_qwen3("32B", 2),
    *_qwen3("30B-A3B", 2),
    *_qwen3("235B-A22B", 8),
    CheckpointSpec(id="qwen3-vl-plus", params="235B-A22B (DashScope)"),
    CheckpointSpec(id="qwen3-vl-flash", params="30B-A3B (DashScope)"),
    *(
        CheckpointSpec(
            id=f"Qwen/Qwen2.5-VL-{size}-Instruct",
            family="qwen2.5-vl",
            coords=CoordConvention.IMAGE,
            params=size,
            min_gpus=gpus,
        )
        for size, gpus in (("3B", 1), ("7B", 1), ("32B", 2), ("72B", 4))
    ),
)
"""Every known checkpoint."""

DEFAULT_SPEC = CheckpointSpec(id="qwen3-vl")
"""Used for names that match nothing: the Qwen3-VL conventions."""

_QUANT_SUFFIX = re.compile(r"(-(fp8|awq|gptq(-int[48])?|int[48]|bnb-4bit|gguf))+$", re.IGNORECASE)


def _key(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1].lower()


def lookup(name: str) -> CheckpointSpec:
    """The spec for a hub id, served name or directory name (Qwen3-VL defaults if unknown)."""
    exact = {c.id: c for c in CHECKPOINTS}
    if name in exact:
        return exact[name]
    by_key = {_key(c.id): c for c in CHECKPOINTS}
    key = _key(name)
    if key in by_key:
        return by_key[key]
    stripped = _QUANT_SUFFIX.sub("", key)
    if stripped in by_key:
        return by_key[stripped].model_copy(update={"id": name})
    if "qwen2.5-vl" in key or "qwen2_5_vl" in key:
        return CheckpointSpec(id=name, family="qwen2.5-vl", coords=CoordConvention.IMAGE)
    return DEFAULT_SPEC.model_copy(update={"id": name, "thinking": "thinking" in key})
