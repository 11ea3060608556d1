"""Screenshots of the viewport with password fields covered."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page

from screenpilot.environments.browser import pump
from screenpilot.environments.browser.config import BrowserConfig
from screenpilot.environments.browser.scripts import MASK_SELECTOR
from screenpilot.environments.encoded import remember_png
from screenpilot.tools.errors import EnvTimeout


def mask_locators(frames: Sequence[Frame]) -> list[Locator]:
    """Password fields of ``frames`` (Playwright covers them with boxes while capturing)."""
    return [frame.locator(MASK_SELECTOR) for frame in frames if not frame.is_detached()]


def screenshot(
    page: Page, config: BrowserConfig, timeout_s: float, mask_frames: Sequence[Frame] | None = None
) -> Image.Image:
    """The viewport at device resolution (``viewport * DPR`` pixels), as an RGB image.

    A PNG capture that decodes to RGB as it is keeps Chromium's bytes as the image's
    encoding (:func:`~screenpilot.environments.encoded.remember_png`): the recorder stores
    them and the model backend sends them without encoding the pixels again.

    Args:
        page: The tab.
        config: Format, quality and masking settings.
        timeout_s: Limit for the capture.
        mask_frames: Frames whose password fields are covered; ``None`` means every frame.
            The environment passes the frames its element pass just found password
            fields in, which spares the mask lookups on pages without any.

    Raises:
        playwright.sync_api.Error: When the page cannot be captured (crashed, frozen).
    """
    jpeg = config.screenshot_format == "jpeg"
    data = page.screenshot(
        type=config.screenshot_format,
        quality=config.jpeg_quality if jpeg else None,
        mask=mask_locators(page.frames if mask_frames is None else mask_frames)
        if config.mask_passwords
        else None,
        mask_color=config.mask_color,
        caret="initial",
        animations="allow",
        timeout=timeout_s * 1000,
    )
    image = Image.open(io.BytesIO(data))
    if jpeg or image.mode != "RGB":
        image.load()
        return image.convert("RGB") if image.mode != "RGB" else image
    # decoded on first use of its pixels: a step that only sends or stores the screenshot
    # (a model over HTTP, the recorder, a scripted step) never decodes it
    remember_png(image, data)
    return image


def viewport_of(page: Page) -> tuple[int, int]:
    """The viewport in CSS pixels (from the context, or asked from the page when attached)."""
    size = page.viewport_size
    if size is not None:
        return size["width"], size["height"]
    try:
        w, h = pump.call(
            page, lambda impl: impl.evaluate("() => [innerWidth, innerHeight]", None), 2.0, "viewport"
        )
    except (PlaywrightError, EnvTimeout):
        return 1280, 800  # frozen behind a dialog or busy: the usual size beats hanging
    return int(w), int(h)


__all__ = ["mask_locators", "screenshot", "viewport_of"]
