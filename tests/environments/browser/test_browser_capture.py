"""The DevTools capture shows exactly what Playwright's own screenshot shows, faster."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.browser.capture import screenshot
from tests.environments.browser.conftest import make_env
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


ROW = "<p style='color:hsl({hue},70%,40%)'>Row {i} <input value={i}></p>"
ROWS = "".join(ROW.format(hue=i * 37 % 360, i=i) for i in range(80))
TALL = "data:text/html," + quote(f"<!doctype html><body style='font:15px serif'>{ROWS}")
"""A page taller than the viewport, with text, colours and form fields."""


@pytest.fixture(scope="module", params=[1.0, 1.5, 2.0], ids=["dpr1", "dpr1.5", "dpr2"])
def scaled(request: pytest.FixtureRequest) -> Iterator[BrowserEnvironment]:
    env = make_env(device_scale_factor=request.param, start_url=TALL)
    env.reset()
    yield env
    env.close()


def playwrights(env: BrowserEnvironment) -> Image.Image:
    return Image.open(io.BytesIO(env.page.screenshot(caret="initial", animations="allow"))).convert("RGB")


@pytest.mark.parametrize("scroll", [0, 450])
def test_the_capture_matches_playwrights_pixels(scaled: BrowserEnvironment, scroll: int) -> None:
    scaled.evaluate(f"window.scrollTo(0, {scroll})")
    assert scaled.evaluate("window.scrollY") == scroll
    page = scaled.page
    with pytest.MonkeyPatch.context() as patch:  # the observation does not use Playwright's capture
        patch.setattr(page, "screenshot", lambda **_: pytest.fail("page.screenshot was called"))
        obs = scaled.observe()
    dpr = scaled.config.device_scale_factor
    assert obs.screenshot.size == (round(1280 * dpr), round(800 * dpr))
    reference = playwrights(scaled)
    assert obs.screenshot.size == reference.size
    assert ImageChops.difference(obs.screenshot.convert("RGB"), reference).getbbox() is None
    # the image keeps Chromium's own PNG bytes: nothing encodes it again
    assert Image.open(io.BytesIO(obs.png_bytes())).convert("RGB").tobytes() == reference.tobytes()


def test_a_page_with_a_password_field_is_captured_masked(env: BrowserEnvironment, server: PageServer) -> None:
    """Masking needs Playwright's capture; a page without password fields skips it."""
    env.goto(server.url("form.html"))
    env.evaluate("document.getElementById('pw').value = 'hunter2'")
    obs = env.observe()
    masked = screenshot(env.page, env.config, 10.0, None)  # every frame's fields covered
    assert ImageChops.difference(obs.screenshot.convert("RGB"), masked.convert("RGB")).getbbox() is None
    plain = screenshot(env.page, env.config.model_copy(update={"mask_passwords": False}), 10.0)
    assert ImageChops.difference(plain.convert("RGB"), masked.convert("RGB")).getbbox() is not None


def test_a_frozen_page_fails_the_capture_within_its_limit(server: PageServer) -> None:
    env = make_env(start_url=server.url("tiny.html"))
    try:
        env.reset()
        env.page.evaluate("setTimeout(() => { while (true) {} }, 0)")
        import time

        t0 = time.monotonic()
        with pytest.raises(PlaywrightError, match="Timeout") as raised:
            screenshot(env.page, env.config, 1.0, [])
        assert time.monotonic() - t0 < 5.0, raised.value
    finally:
        env.close()
