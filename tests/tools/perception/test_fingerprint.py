"""The last screen's reading comes back for a pixel-identical screen, and only then."""

from __future__ import annotations

from PIL import Image, ImageDraw

from screenpilot.model.planner.ocr_lines import OcrLines
from screenpilot.tools.perception.fingerprint import LastScreen, screen_fingerprint


def screen(text: str) -> Image.Image:
    image = Image.new("RGB", (320, 80), "white")
    ImageDraw.Draw(image).text((12, 30), text, fill="black", font_size=24)
    return image


def test_a_pixel_identical_screen_is_not_read_again() -> None:
    reads: list[str] = []
    last: LastScreen[str] = LastScreen()

    def read(image: Image.Image) -> str:
        reads.append(screen_fingerprint(image))
        return f"read {len(reads)}"

    assert last.read(screen("Save"), read) == "read 1"
    assert last.read(screen("Save"), read) == "read 1"  # another object, the same pixels
    assert last.read(screen("Open"), read) == "read 2"
    assert last.read(screen("Save"), read) == "read 3"  # only the last screen is kept
    last.forget()
    assert last.read(screen("Save"), read) == "read 4"


def test_the_planners_listing_runs_ocr_once_for_an_unchanged_screen() -> None:
    lines = OcrLines()
    first = lines(screen("Save changes"))
    assert any("Save" in line for line in first)
    assert lines(screen("Save changes")) == first
    engine = lines._engine
    assert engine is not None and engine.calls == 1  # type: ignore[attr-defined]
    lines(screen("Discard"))
    assert engine.calls == 2  # type: ignore[attr-defined]
