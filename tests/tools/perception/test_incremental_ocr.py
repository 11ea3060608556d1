"""Incremental OCR: tight change regions, line-level re-reads, the crop cache, agreement."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.tools.actions import Click, TypeText
from screenpilot.tools.perception.changes import changed_mask, changed_rects
from screenpilot.tools.perception.incremental_ocr import IncrementalOcr
from screenpilot.tools.perception.ocr import OcrEngine
from screenpilot.tools.perception.text_match import normalize
from screenpilot.tools.points import Point

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(lines: list[str]) -> Image.Image:
    """A small page of text lines drawn with a real font."""
    img = Image.new("RGB", (360, 40 + 44 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 22)
    for i, text in enumerate(lines):
        draw.text((16, 20 + 44 * i), text, fill="black", font=font)
    return img


def test_changed_rects_are_tight_around_changed_pixels() -> None:
    a = np.zeros((64, 96, 3), dtype=np.uint8)
    b = a.copy()
    b[40:42, 70:75] = 255  # a small mark
    b[5:21, 10:11] = 255  # a caret, 1 pixel wide
    rects = changed_rects(changed_mask(a, b, threshold=10), cell=8)
    assert rects == [(10, 5, 11, 21), (70, 40, 75, 42)]


def test_small_differences_are_noise() -> None:
    a = np.full((32, 32, 3), 100, dtype=np.uint8)
    assert changed_rects(changed_mask(a, a + 5, threshold=10)) == []


@pytest.mark.slow
def test_only_the_changed_line_is_recognised_and_lines_below_are_kept(ocr_engine: OcrEngine) -> None:
    before = ["Shipping address", "Quantity 3", "Total price 42", "Place order"]
    after = ["Shipping address", "Quantity 4", "Total price 42", "Place order"]
    reader = IncrementalOcr(ocr_engine)
    first = reader.read(_page(before))
    assert [ln.text for ln in first] == before
    kept_below = [ln for ln in first if ln.text in ("Total price 42", "Place order")]
    n = ocr_engine.lines_recognized
    second = reader.read(_page(after))
    assert ocr_engine.lines_recognized - n == 1  # one line read again, nothing below it
    assert reader.last.recognized == 1 and reader.last.reused == 3 and not reader.last.regions
    assert [ln.text for ln in second] == after
    assert all(any(k is ln for ln in second) for k in kept_below)  # carried over as they were
    assert [ln.text for ln in ocr_engine.read(_page(after))] == after  # a full read agrees


@pytest.mark.slow
def test_a_line_back_to_an_earlier_look_comes_from_the_crop_cache(ocr_engine: OcrEngine) -> None:
    reader = IncrementalOcr(ocr_engine)
    reader.read(_page(["Search", "Caret here|"]))
    reader.read(_page(["Search", "Caret here "]))  # the caret blinks off
    n = ocr_engine.lines_recognized
    lines = reader.read(_page(["Search", "Caret here|"]))  # and on again
    assert ocr_engine.lines_recognized == n
    assert reader.last.cache_hits == 1
    assert [ln.text for ln in lines] == [ln.text for ln in ocr_engine.read(_page(["Search", "Caret here|"]))]


@pytest.mark.slow
def test_new_text_is_detected_inside_its_region_only(ocr_engine: OcrEngine) -> None:
    reader = IncrementalOcr(ocr_engine)
    reader.read(_page(["Menu", "", "", "Footer"]))
    lines = reader.read(_page(["Menu", "Open file", "Save as", "Footer"]))
    assert [ln.text for ln in lines] == ["Menu", "Open file", "Save as", "Footer"]
    assert reader.last.reused == 2 and reader.last.read == 2
    (region,) = reader.last.regions
    assert region[3] - region[1] < 110  # the two new lines, not the page


@pytest.mark.slow
def test_incremental_read_matches_a_full_read(ocr_engine: OcrEngine) -> None:
    env = FakeEnvironment(FakeConfig(expose_elements=False))
    first = env.reset()
    reader = IncrementalOcr(ocr_engine)
    reader.read(first.screenshot)
    assert reader.last.full
    env.execute(Click(at=Point(x=400, y=196)))
    env.execute(TypeText(text="alice"))
    second = env.observe().screenshot
    incremental = reader.read(second)
    stats = reader.last
    assert not stats.full
    assert 0 < stats.dirty_fraction < 0.05
    assert stats.reused > 0
    full = ocr_engine.read(second)
    # Field borders are sometimes read as "|" at a line's end: compare normalised text.
    assert sorted(normalize(ln.text) for ln in incremental) == sorted(normalize(ln.text) for ln in full)
    assert "alice" in {normalize(ln.text) for ln in incremental}
    assert "Username" in {ln.text for ln in incremental}  # the label, reused from the cache
    n = ocr_engine.calls
    unchanged = reader.read(env.observe().screenshot)
    assert reader.last.unchanged and ocr_engine.calls == n and len(unchanged) == len(incremental)


@pytest.mark.slow
def test_without_the_recogniser_internals_a_line_is_read_whole(
    ocr_engine: OcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rapidocr without its 3.x recogniser internals: line crops go through the pipeline."""
    page = np.asarray(_page(["Quantity 4", "Place order"]))
    crops, offsets = [page[10:60, 0:360], page[54:104, 0:360]], [(0, 10), (0, 54)]
    direct = ocr_engine.recognize(crops, offsets)
    monkeypatch.setitem(sys.modules, "rapidocr.ch_ppocr_rec", None)  # as if it had no such module
    whole = ocr_engine.recognize(crops, offsets)
    assert [line.text if line else None for line in whole] == ["Quantity 4", "Place order"]
    assert [line.text if line else None for line in direct] == ["Quantity 4", "Place order"]
    assert [line.box for line in whole if line] == [line.box for line in direct if line]
