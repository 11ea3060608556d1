"""The paraphrase set parses to the intended steps (parsing only; grounding is scored elsewhere)."""

from __future__ import annotations

import pytest

from screenpilot.model.offline.steps import Step
from tests.model.offline.paraphrase_set import expected, load, matches, score

MIN_EXACT = 0.95


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_paraphrase_set_parses_to_the_intended_steps(language: str) -> None:
    entries = load(language)
    share, wrong = score(entries)
    assert share >= MIN_EXACT, "\n".join(wrong)


def test_the_set_is_large_and_bilingual() -> None:
    en, zh = load("en"), load("zh")
    assert len(en) + len(zh) >= 300
    assert len(zh) >= 100 and len(en) >= 150
    assert len({e.say for e in en + zh}) == len(en) + len(zh)  # no sentence twice


def test_the_scorer_tells_a_wrong_parse_from_a_right_one() -> None:
    right = Step(kind="type", text="alice", target="the Username field")
    assert matches(right, 'type "alice" -> the username field')
    assert not matches(right, 'type "bob" -> the Username field')
    assert not matches(right, 'type "alice" -> the Password field')
    assert not matches(right.model_copy(update={"every": True}), 'type "alice" -> the Username field')
    assert expected("click -> Like | every count=2 scope=Order 1042")["scope"] == "Order 1042"
