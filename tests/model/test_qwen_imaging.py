"""Qwen-VL's pixel-budget presets and factors on top of the neutral image sizing."""

from __future__ import annotations

import pytest

from screenpilot.environments.geometry import Size
from screenpilot.model.imaging import resize_for_model, resized_size, visual_tokens
from screenpilot.model.qwen.imaging import BUDGET_PRESETS, budget
from screenpilot.model.qwen.registry import lookup
from screenpilot.tools.errors import ConfigError


@pytest.mark.parametrize(
    ("preset", "screen", "expected", "tokens"),
    [
        ("medium", (1280, 800), (1280, 800), 1000),
        ("large", (1280, 800), (1280, 800), 1000),
        ("large", (1920, 1080), (1920, 1088), 2040),
        ("medium", (1920, 1080), (1504, 832), 1222),
        ("tiny", (1280, 800), (640, 384), 240),
        ("full", (2560, 1440), (2560, 1440), 3600),
    ],
)
def test_known_sizes_and_token_counts(
    preset: str, screen: tuple[int, int], expected: tuple[int, int], tokens: int
) -> None:
    size = resized_size(Size(width=screen[0], height=screen[1]), 32, budget(preset))
    assert (size.width, size.height) == expected
    assert visual_tokens(size, 32) == tokens
    assert tokens <= BUDGET_PRESETS[preset].max_tokens


def test_qwen25_uses_factor_28() -> None:
    spec = lookup("Qwen/Qwen2.5-VL-7B-Instruct")
    assert spec.factor == 28
    size = resized_size(Size(width=1280, height=800), spec.factor, budget("large"))
    assert size.width % 28 == 0 and size.height % 28 == 0
    assert (size.width, size.height) == (1288, 812)


def test_unknown_preset_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        budget("enormous")


def test_medium_preset_downscales_a_full_hd_screen() -> None:
    from PIL import Image

    big = Image.new("RGB", (1920, 1080))
    assert resize_for_model(big, 32, budget("medium")).size == (1504, 832)
