"""Qwen-VL's pixel-budget presets and factors on top of the neutral image sizing."""

from __future__ import annotations

import pytest
from PIL import Image

from screenpilot.environments.geometry import Size
from screenpilot.model.imaging import only_rounds, resize_for_model, resized_size, visual_tokens
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


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        ((1920, 1080), (1920, 1088)),
        ((2560, 1440), (2560, 1440)),
        ((3840, 2160), (3840, 2176)),
        ((1440, 3120), (1440, 3136)),
    ],
)
def test_the_default_budget_keeps_screens_native_up_to_4k(
    screen: tuple[int, int], expected: tuple[int, int]
) -> None:
    """What Qwen's own processor does (at most 16,384 tokens of 32x32): no downscale."""
    spec = lookup("Qwen/Qwen3-VL-8B-Instruct")
    assert spec.budget == "native" and BUDGET_PRESETS["native"] == BUDGET_PRESETS["full"]
    size = resized_size(Size(width=screen[0], height=screen[1]), spec.factor, budget(spec.budget))
    assert (size.width, size.height) == expected


def test_transparent_pixels_are_painted_white_like_the_processor() -> None:
    from PIL import Image

    shot = Image.new("RGBA", (64, 64), (0, 0, 0, 0))  # fully transparent black
    shot.paste((200, 0, 0, 255), (0, 0, 32, 32))  # one opaque red square
    rgb = resize_for_model(shot, 32, budget("native"))
    assert rgb.mode == "RGB"
    assert rgb.getpixel((48, 48)) == (255, 255, 255)  # convert("RGB") would give black
    assert rgb.getpixel((8, 8)) == (200, 0, 0)
    palette = Image.new("P", (64, 64), 0)
    palette.putpalette([0, 0, 0] * 256)
    palette.info["transparency"] = 0
    assert resize_for_model(palette, 32, budget("native")).getpixel((1, 1)) == (255, 255, 255)


def test_align_makes_sides_survive_sglangs_28_then_32_resize() -> None:
    size = resized_size(Size(width=1920, height=1080), 32, budget("native"), align=28)
    assert size.width % 224 == 0 and size.height % 224 == 0
    assert (size.width, size.height) == (2016, 1120)
    # each later resize (to multiples of 28, then 32) leaves it as it is
    again = resized_size(size, 28, budget("native"))
    assert resized_size(again, 32, budget("native")) == size


def test_a_relative_model_gets_a_screen_the_server_only_rounds_as_it_is() -> None:
    shot = Image.new("RGB", (1920, 1080), (10, 20, 30))
    native = budget("native")
    assert only_rounds(Size(width=1920, height=1080), 32, native)
    assert resize_for_model(shot, 32, native, relative=True) is shot  # the server rounds to 1088
    assert resize_for_model(shot, 32, native).size == (1920, 1088)  # pixel answers need the size
    # a budget that scales the screen, or an alignment for a server's own factor, still resizes
    assert not only_rounds(Size(width=1920, height=1080), 32, budget("medium"))
    assert resize_for_model(shot, 32, budget("medium"), relative=True).size == (1504, 832)
    assert resize_for_model(shot, 32, native, 28, relative=True).size == (2016, 1120)
    # too small for the budget's minimum: scaled up, never sent as it is
    tiny = Image.new("RGB", (40, 30))
    assert resize_for_model(tiny, 32, budget("medium"), relative=True).size != (40, 30)
