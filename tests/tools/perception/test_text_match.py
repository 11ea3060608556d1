"""Text normalisation and scores."""

from __future__ import annotations

import pytest

from screenpilot.tools.perception.text_match import compact, has_cjk, normalize, text_score


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sign In", "sign in"),
        ("  Sign\t\n in  ", "sign in"),
        ("Forgot password?", "forgot password"),
        ("Ｌｏｇｉｎ", "login"),  # full-width forms fold under NFKC
        ("ﬁle", "file"),  # ligature
        ("用户 名", "用户名"),  # OCR spaces inside CJK text are dropped
        ("登录 Login", "登录login"),
        ("Save & close", "save & close"),
        ("E-mail:", "e mail"),
        ("…", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_compact_ignores_spaces() -> None:
    assert compact("Sign in") == compact("SIGNIN") == "signin"


def test_has_cjk() -> None:
    assert has_cjk("登录")
    assert has_cjk("ログイン")
    assert not has_cjk("login")


def test_scores_rank_exact_over_normalised_over_containment_over_fuzzy() -> None:
    exact = text_score("Sign in", "Sign in")
    normalised = text_score("Sign in", "SIGN IN!")
    spaced = text_score("Sign in", "Signin")
    contained = text_score("Sign in", "Sign in to your account")
    fuzzy = text_score("Sign in", "Sigm in")
    assert exact == 1.0
    assert exact > normalised > spaced > contained > 0
    assert 0 < fuzzy < normalised


def test_containment_needs_whole_words() -> None:
    assert text_score("in", "Sign") == 0.0
    assert text_score("password", "Forgot password?") > 0.6


def test_unrelated_texts_score_zero() -> None:
    assert text_score("Checkout", "Contact us") == 0.0
    assert text_score("登录", "注册") == 0.0
    assert text_score("", "x") == 0.0


def test_cjk_containment() -> None:
    assert text_score("密码", "忘记密码？") > 0.6


# -- right-to-left text, combining marks, scripts without spaces ------------------------------


def test_rtl_text_in_visual_order_still_matches() -> None:
    from screenpilot.tools.perception.text_match import text_score, visual_variants

    assert visual_variants("שם מלא") == ("מלא שם", "אלמ םש")
    assert text_score("שם מלא", "אלמ םש") >= 0.9
    assert text_score("الاسم الكامل", "الكامل الاسم") >= 0.9
    assert text_score("שם מלא", "עיר") == 0.0


def test_invisible_controls_vowel_marks_and_tatweel_are_ignored() -> None:
    from screenpilot.tools.perception.text_match import NORMALISED, normalize, text_score

    assert text_score("حفظ", "\u200fحفظ\u200e") == NORMALISED  # RLM / LRM
    assert normalize("شَهْر") == normalize("شهر")  # harakat
    assert normalize("שָׁלוֹם") == normalize("שלום")  # niqqud
    assert normalize("حـفـظ") == normalize("حفظ")  # tatweel
    assert normalize("نام\u200cکامل") == normalize("نامکامل")  # ZWNJ


def test_decomposed_accents_match_composed_ones() -> None:
    from screenpilot.tools.perception.text_match import NORMALISED, text_score

    assert text_score("Genève", "Gene\u0300ve") == NORMALISED
    assert text_score("Đà Nẵng", "Đa\u0300 Na\u0306\u0303ng") >= NORMALISED


def test_thai_has_no_spaces_and_ocr_spaces_before_marks_go() -> None:
    from screenpilot.tools.perception.text_match import normalize, text_score

    assert normalize("ชื ่ อ เต ็ ม") == "ชื่อเต็ม"
    assert text_score("ส่ง", "บันทึกยกเลิกส่ง") > 0.55  # contained, like CJK
    assert text_score("in", "sign") == 0.0  # alphabetic text still needs whole words


def test_narrowing_counts_letters_not_marks_and_rtl_from_the_right() -> None:
    from screenpilot.tools.perception.ocr import TextBox, find_text
    from screenpilot.tools.points import Box, CoordSpace

    def line(text: str) -> TextBox:
        return TextBox(text=text, score=1.0, box=Box(x0=0, y0=0, x1=300, y1=20, space=CoordSpace.IMAGE))

    # "บันทึก" + "ยกเลิก" + "ส่ง": 4 + 5 + 2 letters of width (the marks take none)
    (thai,) = find_text([line("บันทึกยกเลิกส่ง")], "ส่ง")
    assert thai.box.x0 == pytest.approx(300 * 9 / 11) and thai.box.x1 == pytest.approx(300)
    # the first word of a right-to-left line is at its right edge
    (hebrew,) = find_text([line("שמירה ביטול שליחה")], "שמירה")
    assert hebrew.box.x1 == pytest.approx(300) and hebrew.box.x0 == pytest.approx(300 - 300 * 5 / 17)
