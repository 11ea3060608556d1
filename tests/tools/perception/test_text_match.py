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
