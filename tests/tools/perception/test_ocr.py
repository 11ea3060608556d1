"""OCR on real Chromium screenshots of local pages: read, find, convert, click."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from screenpilot.environments.geometry import ScreenGeometry, Size, box_to_space, to_screen
from screenpilot.tools.perception.incremental_ocr import IncrementalOcr
from screenpilot.tools.perception.ocr import OcrConfig, OcrEngine, bundled_model_dir, find_text, model_paths
from screenpilot.tools.points import CoordSpace

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _shot(page: Any) -> tuple[Image.Image, ScreenGeometry]:
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    vp = page.viewport_size
    geometry = ScreenGeometry(
        image_size=Size(width=image.width, height=image.height),
        logical_size=Size(width=vp["width"], height=vp["height"]),
        scale_factor=image.width / vp["width"],
    )
    return image, geometry


def _click_text(page: Any, reader: IncrementalOcr, query: str) -> str:
    """OCR the page, click the best match for ``query``, return what the page recorded.

    The reader is incremental: after the first read of a page only changed regions (a
    focus ring, a pressed button) are read again.
    """
    image, geometry = _shot(page)
    found = find_text(reader.read(image), query)
    assert found, f"OCR did not find {query!r}"
    box = box_to_space(found[0].box, CoordSpace.SCREEN, geometry)
    x, y = to_screen(box.center, geometry)
    before = len(page.evaluate("window.clicks"))
    page.mouse.click(x, y)
    clicks = page.evaluate("window.clicks")
    assert len(clicks) == before + 1, f"clicking {query!r} at ({x}, {y}) hit nothing"
    return str(clicks[-1])


@pytest.fixture(scope="module")
def page(chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_models_come_from_the_wheel_and_nothing_is_downloaded(
    ocr_engine: OcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rapidocr
    import rapidocr.utils.download_file as download

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rapidocr tried to download a file")

    monkeypatch.setattr(download.DownloadFile, "run", classmethod(refuse))
    package = Path(rapidocr.__file__).parent
    paths = model_paths(OcrConfig())
    assert bundled_model_dir() == package / "models"
    assert all(p.is_file() and package in p.parents for p in paths.values())
    fresh = OcrEngine()  # loads the models under the no-download patch
    image = Image.new("RGB", (200, 60), "white")
    assert fresh.read(image) == []
    assert fresh.calls == 1


def test_reads_and_clicks_english_targets(page: Any, pages_url: str, ocr_engine: OcrEngine) -> None:
    page.goto(f"{pages_url}/en.html")
    reader = IncrementalOcr(ocr_engine)
    assert _click_text(page, reader, "Add to cart") == "add"
    assert reader.last.full
    assert _click_text(page, reader, "Checkout") == "checkout"
    assert not reader.last.full
    assert _click_text(page, reader, "contact us") == "contact"  # case-insensitive
    assert _click_text(page, reader, "My account") == "account"


def test_reads_and_clicks_chinese_targets(page: Any, pages_url: str, ocr_engine: OcrEngine) -> None:
    page.goto(f"{pages_url}/zh.html")
    image, _ = _shot(page)
    reader = IncrementalOcr(ocr_engine)
    texts = {line.text for line in reader.read(image)}
    assert {"用户登录", "用户名", "密码", "记住我", "登录"} <= texts
    assert _click_text(page, reader, "登录") == "login"
    assert _click_text(page, reader, "忘记密码") == "forgot"


def test_boxes_map_to_screen_on_a_hidpi_page(chromium: Any, pages_url: str, ocr_engine: OcrEngine) -> None:
    context = chromium.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    try:
        hidpi = context.new_page()
        hidpi.goto(f"{pages_url}/en.html")
        image, _ = _shot(hidpi)
        assert image.size == (1280, 800)
        assert _click_text(hidpi, IncrementalOcr(ocr_engine), "Add to wishlist") == "wish"
    finally:
        context.close()
