"""Words and phrases inside an OCR line get boxes of their own (English and Chinese)."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from screenpilot.tools.perception.ocr import OcrEngine, find_text

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _line(text: str) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """An image of one line of text and the true x-range of each word in it."""
    image = Image.new("RGB", (520, 64), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 24)
    draw.text((12, 16), text, fill="black", font=font)
    spans, x = {}, 12.0
    for word in text.split(" "):
        width = draw.textlength(word, font=font)
        spans[word] = (x, x + width)
        x += width + draw.textlength(" ", font=font)
    return image, spans


def test_a_word_in_the_middle_of_a_line_gets_its_own_box(ocr_engine: OcrEngine) -> None:
    image, spans = _line("Alpha Beta Gamma 你好世界 Delta")
    (line,) = ocr_engine.read(image)
    assert line.chars, "the recogniser gave no character boxes"
    words = dict(line.words())
    assert set(words) >= {"Alpha", "Beta", "Gamma", "Delta"}
    for word in ("Beta", "Delta"):
        x0, x1 = spans[word]
        box = words[word]
        assert abs(box.x0 - x0) < 6 and abs(box.x1 - x1) < 6, (word, box, spans[word])
    # a phrase or a part of a CJK run is cut out of the line by its characters
    (beta,) = find_text([line], "Beta")
    assert spans["Beta"][0] - 6 < beta.box.x0 and beta.box.x1 < spans["Beta"][1] + 6
    (world,) = find_text([line], "世界")
    cjk0, cjk1 = spans["你好世界"]
    assert world.box.x0 > (cjk0 + cjk1) / 2 - 6 and world.box.x1 < cjk1 + 6  # the right half of the run
