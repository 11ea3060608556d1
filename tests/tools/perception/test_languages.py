"""A sample of the 32-language set (devtools/languages): Tesseract reads what PP-OCR cannot,
``auto`` picks it by script, and the offline policy clicks and types from pixels alone.

The whole table is made by ``python -m devtools.languages.measure`` (docs/languages.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devtools.languages.data import LANGUAGES, by_code
from devtools.languages.measure import measure_language, serve_pages
from screenpilot.agent.registry import create
from screenpilot.tools.perception.ocr import OcrEngine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# right to left; combining marks and no spaces; Latin letters beyond the bundled model
SAMPLE = ("ara", "tha", "vie")


@pytest.fixture(scope="module")
def browser_env() -> Iterator[tuple[Any, str]]:
    with serve_pages(by_code(SAMPLE)) as base:
        env = create("environments", "browser", {"viewport": "1280x800"})
        env.reset()
        try:
            yield env, base
        finally:
            env.close()


def test_the_set_has_32_languages_and_the_required_scripts() -> None:
    assert len(LANGUAGES) == 32
    codes = {lang.code for lang in LANGUAGES}
    for needed in ("eng", "fra", "deu", "rus", "ell", "ara", "heb", "hin", "ben", "tha", "vie", "jpn", "kor"):
        assert needed in codes
    assert {"chi_sim", "chi_tra"} <= codes


@pytest.mark.parametrize("code", SAMPLE)
def test_language_is_read_and_the_tasks_are_done(
    browser_env: tuple[Any, str], ocr_engine: OcrEngine, code: str
) -> None:
    env, base = browser_env
    (lang,) = by_code([code])
    row = measure_language(env, base, lang, ocr_engine)
    assert row.rapidocr < 0.85  # the bundled model does not read these scripts
    assert row.tesseract >= 0.9 and row.auto >= 0.9, row
    assert row.auto_engine.startswith(f"tesseract:{code}")
    assert row.click and row.type, row
