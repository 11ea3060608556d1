"""smart_resize, pixel budgets and visual-token counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from screenpilot.environments.geometry import Size
from screenpilot.model.qwen.imaging import (
    BUDGET_PRESETS,
    budget,
    resize_for_model,
    resized_size,
    smart_resize,
    visual_tokens,
)
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


@settings(max_examples=150, deadline=None)
@given(
    st.integers(32, 5000),
    st.integers(32, 5000),
    st.sampled_from([28, 32]),
    st.sampled_from(sorted(BUDGET_PRESETS)),
)
def test_matches_the_processors_smart_resize(width: int, height: int, factor: int, preset: str) -> None:
    # the arithmetic transformers' Qwen-VL image processor runs on the server side
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import smart_resize as reference

    b = BUDGET_PRESETS[preset]
    ours = smart_resize(
        width, height, factor=factor, min_pixels=b.min_pixels(factor), max_pixels=b.max_pixels(factor)
    )
    h, w = reference(
        height, width, factor=factor, min_pixels=b.min_pixels(factor), max_pixels=b.max_pixels(factor)
    )
    assert (ours.width, ours.height) == (w, h)
    assert ours.width % factor == 0 and ours.height % factor == 0
    assert b.min_pixels(factor) <= ours.width * ours.height <= b.max_pixels(factor)


def test_rejects_degenerate_images() -> None:
    with pytest.raises(ConfigError):
        smart_resize(10_000, 20, factor=32, min_pixels=1024, max_pixels=10**7)
    with pytest.raises(ConfigError):
        budget("enormous")


def test_resize_for_model_keeps_fitting_images_and_resizes_others() -> None:
    small = Image.new("RGBA", (1280, 800))
    out = resize_for_model(small, 32, budget("medium"))
    assert out.mode == "RGB" and out.size == (1280, 800)
    big = Image.new("RGB", (1920, 1080))
    assert resize_for_model(big, 32, budget("medium")).size == (1504, 832)
