"""Incremental OCR: change detection and agreement with a full read."""

from __future__ import annotations

import numpy as np
import pytest

from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.tools.actions import Click, TypeText
from screenpilot.tools.perception.incremental_ocr import (
    IncrementalOcr,
    dirty_tiles,
    merge_rects,
    tiles_to_rects,
)
from screenpilot.tools.perception.ocr import OcrEngine
from screenpilot.tools.perception.text_match import normalize
from screenpilot.tools.points import Point


def test_dirty_tiles_mark_only_changed_blocks() -> None:
    a = np.zeros((64, 96, 3), dtype=np.uint8)
    b = a.copy()
    b[40:42, 70:75] = 255
    grid = dirty_tiles(a, b, tile=32, threshold=10)
    assert grid.shape == (2, 3)
    assert grid.tolist() == [[False, False, False], [False, False, True]]


def test_small_differences_are_noise() -> None:
    a = np.full((32, 32, 3), 100, dtype=np.uint8)
    assert not dirty_tiles(a, a + 5, tile=16, threshold=10).any()


def test_tiles_to_rects_and_merge() -> None:
    grid = np.array([[True, True, False, True], [False, True, False, False]])
    rects = tiles_to_rects(grid, tile=10, margin=0, width=40, height=20)
    assert rects == [(0, 0, 20, 10), (30, 0, 40, 10), (10, 10, 20, 20)]
    assert merge_rects(rects) == [(0, 0, 20, 20), (30, 0, 40, 10)]


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
    assert 0 < stats.dirty_fraction < 0.2
    assert stats.reused > 0
    full = ocr_engine.read(second)
    # Field borders are sometimes read as "|" at a line's end: compare normalised text.
    assert sorted(normalize(ln.text) for ln in incremental) == sorted(normalize(ln.text) for ln in full)
    assert "alice" in {normalize(ln.text) for ln in incremental}
    assert "Username" in {ln.text for ln in incremental}  # the label, reused from the cache
    unchanged = reader.read(second)
    assert reader.last.read == 0 and len(unchanged) == len(incremental)
