"""Family-neutral image sizing: smart_resize at any factor, pixel budgets, visual tokens."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from screenpilot.environments.geometry import Size
from screenpilot.model.imaging import (
    PixelBudget,
    resize_for_model,
    resized_size,
    smart_resize,
    visual_tokens,
)
from screenpilot.tools.errors import ConfigError


@settings(max_examples=150, deadline=None)
@given(
    st.integers(32, 5000),
    st.integers(32, 5000),
    st.sampled_from([14, 16, 28, 32]),
    st.integers(4, 1024),
    st.integers(0, 16384),
)
def test_matches_the_processors_smart_resize(
    width: int, height: int, factor: int, min_tokens: int, extra_tokens: int
) -> None:
    # the arithmetic transformers' Qwen-VL image processor runs on the server side; the
    # factor is a parameter there too, so other patch sizes must agree as well
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import smart_resize as reference

    # Budgets shaped like real ones: at least 256 tokens (below that an elongated image would
    # shrink a side under the factor, where the reference returns 0 and ours keeps one row)
    # and room above the minimum (an upscale rounds up, so min == max cannot be met exactly).
    b = PixelBudget(min_tokens=min_tokens, max_tokens=max(256, 4 * min_tokens) + extra_tokens)
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
        smart_resize(0, 20, factor=32, min_pixels=1024, max_pixels=10**7)
    with pytest.raises(ValueError):
        PixelBudget(min_tokens=10, max_tokens=5)


def test_resize_for_model_keeps_fitting_images_and_resizes_others() -> None:
    fits = PixelBudget(min_tokens=256, max_tokens=1280)
    small = Image.new("RGBA", (1280, 800))
    out = resize_for_model(small, 32, fits)
    assert out.mode == "RGB" and out.size == (1280, 800)
    big = Image.new("RGB", (1920, 1080))
    assert resize_for_model(big, 32, fits).size == (1504, 832)


def test_the_factor_decides_sizes_and_tokens() -> None:
    screen = Size(width=1280, height=800)
    b = PixelBudget(min_tokens=4, max_tokens=16384)
    at14 = resized_size(screen, 14, b)
    at32 = resized_size(screen, 32, b)
    assert (at14.width, at14.height) == (1274, 798)
    assert (at32.width, at32.height) == (1280, 800)
    assert visual_tokens(at14, 14) == 91 * 57
    assert visual_tokens(at32, 32) == 40 * 25
