"""Which writing systems a text uses, and which Tesseract language packs read them.

The script of a character is taken from its Unicode name ("CYRILLIC SMALL LETTER A",
"ARABIC LETTER ALEF"), so nothing has to be listed by code point. Combining marks belong to
the letter they sit on and are skipped.
"""

from __future__ import annotations

import unicodedata

# Unicode name prefixes, longest first where one is a prefix of another.
_SCRIPTS = (
    "CJK",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "LATIN",
    "CYRILLIC",
    "GREEK",
    "ARABIC",
    "HEBREW",
    "DEVANAGARI",
    "BENGALI",
    "THAI",
    "TAMIL",
    "GUJARATI",
    "ARMENIAN",
    "GEORGIAN",
)
# Fullwidth Latin letters are Latin; fullwidth digits and signs have no script.
_ALIASES = {"FULLWIDTH LATIN": "LATIN", "HALFWIDTH KATAKANA": "KATAKANA"}

TESSERACT_LANGS: dict[str, tuple[str, ...]] = {
    # Latin letters beyond the bundled PP-OCR set are Vietnamese's stacked marks; the
    # Vietnamese pack reads every other Latin letter too.
    "LATIN": ("vie",),
    "CYRILLIC": ("rus", "ukr", "bul"),
    "GREEK": ("ell",),
    "ARABIC": ("ara", "fas"),
    "HEBREW": ("heb",),
    "DEVANAGARI": ("hin", "mar"),
    "BENGALI": ("ben",),
    "THAI": ("tha",),
    "TAMIL": ("tam",),
    "GUJARATI": ("guj",),
    "HANGUL": ("kor",),
    "HIRAGANA": ("jpn",),
    "KATAKANA": ("jpn",),
    "CJK": ("chi_sim", "chi_tra", "jpn"),
}
"""Language packs to read each script with, most common first."""

_NO_SPACES = frozenset({"THAI", "CJK", "HIRAGANA", "KATAKANA"})


def script_of(ch: str) -> str | None:
    """The script of one character (``None`` for digits, punctuation, marks and spaces)."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for alias, script in _ALIASES.items():
        if name.startswith(alias):
            return script
    for script in _SCRIPTS:
        if name.startswith(script):
            return script
    return "OTHER"


def scripts_in(text: str) -> list[str]:
    """The scripts of ``text``'s letters, in order of first appearance."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        s = script_of(ch)
        if s is not None and s not in out:
            out.append(s)
    return out


def joins_without_spaces(word: str) -> bool:
    """Whether ``word`` is in a script written without spaces between words (Thai, CJK)."""
    found = scripts_in(word)
    return bool(found) and all(s in _NO_SPACES for s in found)


def tesseract_langs(text: str, available: frozenset[str] | None = None) -> str:
    """The ``+``-joined language packs that read ``text``'s scripts (English always included,
    since screens mix it in), limited to ``available`` when given."""
    langs: list[str] = []
    for script in scripts_in(text):
        for lang in TESSERACT_LANGS.get(script, ()):
            if lang not in langs and (available is None or lang in available):
                langs.append(lang)
    if "eng" not in langs and (available is None or "eng" in available):
        langs.append("eng")
    return "+".join(langs) or "eng"
