"""Client-side image sizing for patch-based vision encoders: ``smart_resize`` and pixel budgets.

A vision transformer cuts an image into ``patch x patch`` pixel patches and often merges
``merge x merge`` of them into one visual token, so each side must be a multiple of a
``factor`` (``patch * merge``: 32 for Qwen3-VL, 28 for Qwen2.5-VL, whatever another family
uses). Servers resize images that break the rule, or that exceed their own pixel budget,
and some hosted APIs downscale silently; every such resize moves the model's clicks.
Resizing on the client to a size the server keeps as is, and telling the model that size,
removes the drift. Every function takes the factor as a parameter; a model family keeps
its own factor and budget presets (``screenpilot.model.qwen.imaging`` for Qwen-VL).

The arithmetic mirrors ``smart_resize`` of transformers' Qwen-VL image processor (the
tests check it against that function) but lives here because transformers is heavy and
the HTTP path must not need it.
"""

from __future__ import annotations

import math

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, model_validator

from screenpilot.environments.geometry import Size
from screenpilot.tools.errors import ConfigError

MAX_ASPECT_RATIO = 200
"""The processors refuse images more elongated than this."""


class PixelBudget(BaseModel):
    """How many visual tokens one screenshot may cost.

    Attributes:
        min_tokens: Lower bound; smaller images are upscaled.
        max_tokens: Upper bound; larger images are downscaled.
    """

    model_config = ConfigDict(frozen=True)

    min_tokens: int = Field(default=4, ge=1)
    max_tokens: int = Field(default=1280, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> PixelBudget:
        if self.min_tokens > self.max_tokens:
            raise ValueError("min_tokens must not exceed max_tokens")
        return self

    def min_pixels(self, factor: int) -> int:
        """The smallest area in pixels, for a model with ``factor`` pixels per token side."""
        return self.min_tokens * factor * factor

    def max_pixels(self, factor: int) -> int:
        """The largest area in pixels, for a model with ``factor`` pixels per token side."""
        return self.max_tokens * factor * factor


def _round(n: float, f: int) -> int:
    return round(n / f) * f


def _floor(n: float, f: int) -> int:
    return math.floor(n / f) * f


def _ceil(n: float, f: int) -> int:
    return math.ceil(n / f) * f


def smart_resize(width: int, height: int, *, factor: int, min_pixels: int, max_pixels: int) -> Size:
    """The size a patch-based processor resizes a ``width x height`` image to.

    Each side becomes a multiple of ``factor``, the area lands within
    ``[min_pixels, max_pixels]`` and the aspect ratio is kept as closely as possible.
    Unlike the reference, no side drops below ``factor`` when downscaling.

    Raises:
        ConfigError: For an empty image or an aspect ratio past :data:`MAX_ASPECT_RATIO`.
    """
    if width <= 0 or height <= 0:
        raise ConfigError(f"cannot resize an empty image ({width}x{height})")
    if max(width, height) / min(width, height) > MAX_ASPECT_RATIO:
        raise ConfigError(f"image {width}x{height} is more elongated than {MAX_ASPECT_RATIO}:1")
    w = max(factor, _round(width, factor))
    h = max(factor, _round(height, factor))
    if w * h > max_pixels:
        beta = math.sqrt(width * height / max_pixels)
        w = max(factor, _floor(width / beta, factor))
        h = max(factor, _floor(height / beta, factor))
    elif w * h < min_pixels:
        beta = math.sqrt(min_pixels / (width * height))
        w = _ceil(width * beta, factor)
        h = _ceil(height * beta, factor)
    return Size(width=w, height=h)


def resized_size(size: Size, factor: int, pixel_budget: PixelBudget, align: int = 1) -> Size:
    """:func:`smart_resize` for a :class:`Size` under a budget.

    Args:
        size: The image's size.
        factor: Pixels per visual token along one side; the budget counts in its tokens.
        pixel_budget: Bounds on the visual tokens.
        align: Make each side a multiple of ``align`` too (``lcm(factor, align)``), for a
            server that resizes to another factor first: SGLang rounds Qwen3-VL images to
            multiples of 28 before the model's 32, so ``align=28`` sends sides that are
            multiples of 224 and neither resize changes them.
    """
    return smart_resize(
        size.width,
        size.height,
        factor=math.lcm(factor, align),
        min_pixels=pixel_budget.min_pixels(factor),
        max_pixels=pixel_budget.max_pixels(factor),
    )


def visual_tokens(size: Size, factor: int) -> int:
    """Visual tokens an image of ``size`` (already a multiple of ``factor``) costs.

    The two ``<|vision_start|>`` / ``<|vision_end|>`` markers are not counted.
    """
    return (size.width // factor) * (size.height // factor)


def to_rgb(image: Image.Image) -> Image.Image:
    """``image`` as RGB, with transparent pixels painted over white.

    Converting RGBA to RGB drops the alpha channel and keeps whatever colour transparent
    pixels happen to hold (often black); the Qwen-VL processors paint them white instead,
    so a transparent screenshot looks to the model as it looks on a white page.
    """
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def only_rounds(size: Size, factor: int, pixel_budget: PixelBudget, align: int = 1) -> bool:
    """Whether the budget keeps ``size`` at its own scale: the processor only rounds each
    side to the nearest multiple of the factor (under half a token of stretch per side)."""
    f = math.lcm(factor, align)
    target = resized_size(size, factor, pixel_budget, align)
    return (target.width, target.height) == (max(f, _round(size.width, f)), max(f, _round(size.height, f)))


def resize_for_model(
    image: Image.Image, factor: int, pixel_budget: PixelBudget, align: int = 1, *, relative: bool = False
) -> Image.Image:
    """An RGB copy of ``image`` at the size the model should see (unchanged when it fits);
    see :func:`resized_size` for ``align`` and :func:`to_rgb` for transparency.

    With ``relative`` (a model that answers relative to the image, whose prompt names no
    pixel size), an image that :func:`only_rounds` is sent as it is: the server's processor
    makes that same rounding, and a relative coordinate names the same point in both
    images. That spares resizing every new screenshot (a 1920x1080 screen is 1920x1088 to
    the model) and keeps the driver's own PNG as the image's encoding. An ``align`` asks
    for sides no server resizes again, so it always resizes.
    """
    size = Size(width=image.width, height=image.height)
    target = resized_size(size, factor, pixel_budget, align)
    rgb = to_rgb(image)
    if (rgb.width, rgb.height) == (target.width, target.height):
        return rgb
    if relative and align == 1 and only_rounds(size, factor, pixel_budget):
        return rgb
    # Bicubic is what the Qwen-VL processors use for their own resize; others are close enough.
    return rgb.resize((target.width, target.height), Image.Resampling.BICUBIC)
