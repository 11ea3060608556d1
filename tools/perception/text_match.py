"""Text normalisation and fuzzy scoring shared by every text-based grounder.

Screens and instructions disagree in small ways: case ("Sign In" / "sign in"), spacing
(OCR drops or adds spaces, CJK and Thai text has none), punctuation ("Forgot password?" /
"forgot password"), full-width forms ("Ｌｏｇｉｎ"), composed or decomposed accents,
invisible bidi controls and joiners, Arabic and Hebrew vowel marks that labels and OCR
leave out, right-to-left text that an OCR hands over in visual order, and OCR misreads a
letter now and then. Scores are in 0..1: 1 for an exact match, a little less for a normalised match, less
again for containment and fuzzy matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from types import ModuleType

_fuzz: ModuleType | None
try:  # rapidfuzz is much faster; difflib gives the same ranking on short strings
    from rapidfuzz import fuzz as _fuzz
except ModuleNotFoundError:  # pragma: no cover - depends on the installed extras
    _fuzz = None

EXACT = 1.0
NORMALISED = 0.97
COMPACT = 0.94
_WS = re.compile(r"\s+")
# Unicode punctuation and symbols except those that carry meaning in short labels.
_KEEP = frozenset("#$%&@+")


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph, kana or hangul character."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
    )


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains any CJK character."""
    return any(is_cjk(c) for c in text)


def is_unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces between words (CJK, Thai)."""
    return is_cjk(ch) or 0x0E00 <= ord(ch) <= 0x0E7F


def has_unspaced(text: str) -> bool:
    """Whether ``text`` contains any character of a script written without spaces."""
    return any(is_unspaced(c) for c in text)


def is_rtl(ch: str) -> bool:
    """Whether ``ch`` is a right-to-left letter (Hebrew, Arabic, Syriac, Thaana...)."""
    return unicodedata.bidirectional(ch) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter."""
    return any(is_rtl(c) for c in text)


def is_mark(ch: str) -> bool:
    """Whether ``ch`` is a non-spacing mark that sits on the letter before it (accents, Thai
    vowel and tone marks, Arabic harakat); it takes no width of its own."""
    return unicodedata.category(ch) in ("Mn", "Me")


def _optional_mark(ch: str) -> bool:
    """Arabic harakat and Hebrew niqqud: vowel marks that labels and OCR often leave out."""
    code = ord(ch)
    return unicodedata.category(ch) == "Mn" and (
        0x0591 <= code <= 0x05C7 or 0x0610 <= code <= 0x061A or 0x064B <= code <= 0x065F or code == 0x0670
    )


def _strip_format(text: str) -> str:
    """Drop invisible format characters (bidi controls, joiners, soft hyphens), Arabic
    tatweel and optional vowel marks: none of them changes what a label says."""
    return "".join(
        c for c in text if unicodedata.category(c) != "Cf" and c != "\u0640" and not _optional_mark(c)
    )


def _strip_punct(text: str) -> str:
    out = []
    for c in text:
        cat = unicodedata.category(c)
        if (cat.startswith("P") or cat.startswith("S")) and c not in _KEEP:
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def _join_cjk(text: str) -> str:
    """Drop spaces next to CJK and Thai characters (those scripts have none, OCR sometimes
    adds them) and before combining marks (a mark belongs to the letter before it)."""
    chars = list(text)
    out: list[str] = []
    for i, c in enumerate(chars):
        if c == " ":
            prev = out[-1] if out else ""
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if (prev and is_unspaced(prev)) or (nxt and (is_unspaced(nxt) or is_mark(nxt))):
                continue
        out.append(c)
    return "".join(out)


def normalize(text: str) -> str:
    """Canonical form for comparison: NFKC, case-folded, no punctuation, single spaces.

    Args:
        text: Any label, OCR output or query.

    Returns:
        The normalised text; ``""`` when nothing but punctuation and spaces was given.
    """
    t = unicodedata.normalize("NFKC", _strip_format(text)).casefold()
    t = _strip_punct(t)
    t = _WS.sub(" ", t).strip()
    return _join_cjk(t)


def compact(text: str) -> str:
    """The normalised text without any spaces (``"sign in"`` and ``"signin"`` meet here)."""
    return normalize(text).replace(" ", "")


def fuzzy_ratio(a: str, b: str) -> float:
    """Similarity of two strings in 0..1 (Levenshtein-based when rapidfuzz is installed)."""
    if not a or not b:
        return 0.0
    if _fuzz is not None:
        return float(_fuzz.ratio(a, b)) / 100.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def text_score(query: str, text: str) -> float:
    """How well the on-screen ``text`` matches what the user asked for (``query``).

    Exact beats normalised beats space-insensitive beats containment beats fuzzy. A
    containment match is discounted by how much extra text surrounds the query, so that
    "Sign in" prefers the button "Sign in" to the heading "Sign in to your account".

    Returns:
        A score in 0..1; 0 when the two have nothing useful in common.
    """
    if not query or not text:
        return 0.0
    if query == text:
        return EXACT
    score = _score(query, text)
    if score < NORMALISED and has_rtl(text):
        # OCR may hand right-to-left text over in visual order: compare that too
        score = max(score, *(_score(query, v) for v in visual_variants(text)))
    return score


def visual_variants(text: str) -> tuple[str, str]:
    """``text`` as if read left to right off the screen: words reversed, and characters
    reversed (letters of a word keep their marks)."""
    words = text.split()
    return " ".join(reversed(words)), " ".join(_reverse_clusters(w) for w in reversed(words))


def _reverse_clusters(word: str) -> str:
    clusters: list[str] = []
    for c in word:
        if clusters and is_mark(c):
            clusters[-1] += c
        else:
            clusters.append(c)
    return "".join(reversed(clusters))


def _score(query: str, text: str) -> float:
    nq, nt = normalize(query), normalize(text)
    if not nq or not nt:
        return 0.0
    if nq == nt:
        return NORMALISED
    cq, ct = nq.replace(" ", ""), nt.replace(" ", "")
    if cq == ct:
        return COMPACT
    contained = _containment(nq, nt, cq, ct)
    fuzzy = fuzzy_ratio(cq, ct)
    # A fuzzy match must be close to count: short labels differ by one letter often.
    fuzzy_score = 0.85 * fuzzy if fuzzy >= 0.75 else 0.0
    return max(contained, fuzzy_score)


def _containment(nq: str, nt: str, cq: str, ct: str) -> float:
    # Whole words only for alphabetic text: "in" is not inside "sign".
    inside = cq in ct if has_unspaced(cq) or has_unspaced(ct) else f" {nq} " in f" {nt} "
    if not inside:
        return 0.0
    coverage = len(cq) / max(len(ct), 1)
    return 0.55 + 0.3 * coverage


def best_substring_score(query: str, text: str) -> float:
    """Fuzzy score of ``query`` against the best-matching window of ``text``.

    Used for OCR lines that merge a label with its neighbours ("Username Password").
    """
    cq, ct = compact(query), compact(text)
    if not cq or not ct:
        return 0.0
    if cq in ct:
        return 0.55 + 0.3 * len(cq) / len(ct)
    if _fuzz is not None and len(ct) > len(cq):
        partial = float(_fuzz.partial_ratio(cq, ct)) / 100.0
        return 0.7 * partial if partial >= 0.85 else 0.0
    return 0.0
