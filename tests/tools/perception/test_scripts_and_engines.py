"""Scripts of text, Tesseract packs for them, and the engine ``auto`` picks."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from screenpilot.model.offline.policy import OfflinePolicy, OfflinePolicyConfig, from_options
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.ocr import OcrEngine, bundled_covers
from screenpilot.tools.perception.ocr_select import AutoOcr
from screenpilot.tools.perception.scripts import joins_without_spaces, scripts_in, tesseract_langs
from screenpilot.tools.perception.tesseract import TesseractConfig, TesseractEngine, installed_languages


def test_scripts_are_named_from_unicode() -> None:
    assert scripts_in("Москва and Αθήνα") == ["CYRILLIC", "LATIN", "GREEK"]
    assert scripts_in("الاسم 12 !") == ["ARABIC"]
    assert scripts_in("ＡＢＣ 東京 カナ 서울") == ["LATIN", "CJK", "KATAKANA", "HANGUL"]
    assert joins_without_spaces("ส่ง") and joins_without_spaces("東京")
    assert not joins_without_spaces("שלום")


def test_packs_follow_the_scripts() -> None:
    assert tesseract_langs("Полное имя") == "rus+ukr+bul+eng"
    assert tesseract_langs("पूरा नाम", frozenset({"hin", "eng"})) == "hin+eng"
    assert tesseract_langs("123") == "eng"


def test_bundled_model_covers_latin_accents_and_cjk_but_not_cyrillic() -> None:
    assert bundled_covers("Genève München Łódź 東京 キャンセル")
    assert not bundled_covers("Москва")
    assert not bundled_covers("Đà Nẵng")  # Vietnamese stacked marks


def test_auto_switches_engine_by_the_tasks_script(ocr_engine: OcrEngine) -> None:
    auto = AutoOcr(ocr_engine)
    assert auto.select_for('click "Sign in"') is False and auto.chosen == "rapidocr"
    assert auto.select_for('type "Москва" into "Город"') is True
    assert auto.chosen == "tesseract:rus+ukr+bul+eng"
    assert auto.select_for('click "送信"') is True and auto.chosen == "rapidocr"
    assert auto.select_for('click "Hủy"') and auto.chosen == "tesseract:vie+eng"


def _label(text: str, size: tuple[int, int] = (420, 80)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    from PIL import ImageFont

    ImageDraw.Draw(img).text((20, 20), text, fill="black", font=ImageFont.truetype(font_path, 28))
    return img


def test_tesseract_reads_cyrillic_with_boxes_in_image_pixels(ocr_engine: OcrEngine) -> None:
    engine = TesseractEngine(TesseractConfig(lang="rus"), detector=ocr_engine)
    (line,) = engine.read(_label("Сохранить"), offset=(100, 50))
    assert line.text == "Сохранить" and line.score > 0.8
    assert 100 + 10 < line.box.x0 < 100 + 40 and 50 + 15 < line.box.y0 < 50 + 40
    # Tesseract's own layout analysis, without the PP-OCR detector
    alone = TesseractEngine(TesseractConfig(lang="rus", detector="tesseract")).read(_label("Отмена"))
    assert [ln.text for ln in alone] == ["Отмена"]


def test_missing_language_pack_is_a_config_error() -> None:
    assert "xyz" not in installed_languages()
    with pytest.raises(ConfigError, match="no language pack for xyz"):
        TesseractEngine(TesseractConfig(lang="xyz")).read(_label("x"))


def test_policy_options_choose_the_engine(ocr_engine: OcrEngine) -> None:
    assert isinstance(
        from_options({"ocr_engine": "tesseract", "ocr_lang": "jpn+kor"}).reader, TesseractEngine
    )
    assert isinstance(
        OfflinePolicy(OfflinePolicyConfig(ocr_engine="rapidocr"), engine=ocr_engine).reader, OcrEngine
    )
    assert isinstance(OfflinePolicy(engine=ocr_engine).reader, AutoOcr)
    with pytest.raises(ConfigError):
        from_options({"ocr_lang": "jpn kor"})
