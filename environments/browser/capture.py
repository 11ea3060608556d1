"""Screenshots of the viewport with password fields covered.

A PNG capture of a page without password fields goes straight to the DevTools protocol:
one ``Page.captureScreenshot`` with Chromium's fast PNG setting (``optimizeForSpeed``:
the same pixels, a lighter compression, files about a third larger). Playwright's
``page.screenshot`` first prepares every frame, waits for web fonts and reads the layout
(five more round trips) and compresses harder, which together take as long as the
capture itself. Masking and JPEG stay with Playwright, which covers the fields for the
capture's duration.
"""

from __future__ import annotations

import base64
import io
import weakref
from collections.abc import Sequence
from typing import Any

from PIL import Image
from playwright.sync_api import CDPSession, Frame, Locator, Page
from playwright.sync_api import Error as PlaywrightError

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
    frames = page.frames if mask_frames is None else mask_frames
    masks = mask_locators(frames) if config.mask_passwords else []
    if jpeg or masks:
        data = page.screenshot(
            type=config.screenshot_format,
            quality=config.jpeg_quality if jpeg else None,
            mask=masks or None,
            mask_color=config.mask_color,
            caret="initial",
            animations="allow",
            timeout=timeout_s * 1000,
        )
    else:
        data = _devtools_png(page, config.device_scale_factor, timeout_s)
    image = Image.open(io.BytesIO(data))
    if jpeg or image.mode != "RGB":
        image.load()
        return image.convert("RGB") if image.mode != "RGB" else image
    # decoded on first use of its pixels: a step that only sends or stores the screenshot
    # (a model over HTTP, the recorder, a scripted step) never decodes it
    remember_png(image, data)
    return image


_SESSIONS: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()
"""Each tab's DevTools session for captures, opened on its first capture."""


def _devtools_png(page: Page, scale: float, timeout_s: float) -> bytes:
    """The viewport as PNG at ``scale`` device pixels per CSS pixel (see the module's note).

    Raises:
        playwright.sync_api.Error: The tab is gone, cannot be captured, or no capture came
            within ``timeout_s`` (a frozen renderer).
    """
    session = _SESSIONS.get(page)
    if session is None:
        session = _SESSIONS[page] = page.context.new_cdp_session(page)
    params: dict[str, Any] = {"format": "png", "optimizeForSpeed": True}
    if scale != 1:
        # Without a clip, a session of its own captures CSS pixels; with one, at its scale.
        width, height = viewport_of(page)
        view = session.send("Page.getLayoutMetrics", timeout=timeout_s * 1000)["cssVisualViewport"]
        zoom = view.get("scale") or 1
        params["clip"] = {
            "x": view["pageX"],
            "y": view["pageY"],
            "width": width / zoom,
            "height": height / zoom,
            "scale": zoom * scale,
        }
    reply = session.send("Page.captureScreenshot", params, timeout=timeout_s * 1000)
    return base64.b64decode(reply["data"])


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
