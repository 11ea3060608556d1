"""Qwen-VL's pixel-budget presets (the arithmetic is family-neutral: ``screenpilot.model.imaging``).

A Qwen-VL visual token covers ``factor x factor`` pixels (32 for Qwen3-VL, 28 for
Qwen2.5-VL; :attr:`~screenpilot.model.qwen.registry.CheckpointSpec.factor`), so the presets
below are tuned to the screen sizes agents meet at that factor.
"""

from __future__ import annotations

from typing import Literal

from screenpilot.model.imaging import PixelBudget
from screenpilot.tools.errors import ConfigError

BudgetName = Literal["tiny", "small", "medium", "large", "xlarge", "full", "native"]

BUDGET_PRESETS: dict[str, PixelBudget] = {
    "tiny": PixelBudget(min_tokens=64, max_tokens=256),
    "small": PixelBudget(min_tokens=128, max_tokens=640),
    "medium": PixelBudget(min_tokens=256, max_tokens=1280),
    "large": PixelBudget(min_tokens=256, max_tokens=2560),
    "xlarge": PixelBudget(min_tokens=256, max_tokens=5120),
    "full": PixelBudget(min_tokens=4, max_tokens=16384),
    "native": PixelBudget(min_tokens=4, max_tokens=16384),
}
"""Named budgets. ``native`` (the default, also called ``full``) is what Qwen's own
processors do: ``qwen-vl-utils`` and the checkpoints' image processors accept up to 16,384
visual tokens (16.8 MP at factor 32, 12.8 MP at 28), so every common screen up to 4K is
sent at its own resolution. The smaller presets trade accuracy for cost: ``medium`` keeps
a 1280x800 screen at full resolution (1,000 tokens), ``large`` keeps 1920x1080 (2,040)."""

DEFAULT_BUDGET = "native"


def budget(name_or_budget: str | PixelBudget) -> PixelBudget:
    """Resolve a preset name (or pass a budget through).

    Raises:
        ConfigError: For an unknown preset name.
    """
    if isinstance(name_or_budget, PixelBudget):
        return name_or_budget
    try:
        return BUDGET_PRESETS[name_or_budget]
    except KeyError:
        known = ", ".join(BUDGET_PRESETS)
        raise ConfigError(f"unknown pixel budget {name_or_budget!r}; presets: {known}") from None
