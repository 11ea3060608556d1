"""What a value slot holds: a literal, a secret by name, a reference to text on the page.

A value slot is checked before a frame is accepted: "the username karrie and the password
AU" is two field/value pairs, not one value; "the value of Last name" is read off the
page, not typed as is. Case rewrites ("in all upper case letters") are taken out of the
clause and kept as a transform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screenpilot.model.offline.segment import TOKEN_RE, Masked
from screenpilot.model.offline.steps import Transform
from screenpilot.tools.secret_refs import SECRET_REFERENCE, reference_name

SECRET_RE = re.compile(rf"^(?:{SECRET_REFERENCE.pattern})$")
"""``{secret: NAME}`` or ``{{secret:NAME}}``: type the secret NAME (never its name as text)."""

_TRANSFORM = re.compile(
    r"\s*,?\s*\b(?:(?:written|typed|spelled)\s+)?(?:in|using|with)\s+(?:all\s+)?"
    r"(upper|lower|capital|small|title)(?:[\s-]?case)?(?:\s+(?:letters|characters|form))?\b"
    r"|\s*\b(?:in\s+)?(?:all\s+)?(uppercase|lowercase|capitals|caps)\b(?:\s+letters)?",
    re.IGNORECASE,
)
_ZH_TRANSFORM = re.compile(r"(?:用|以|全部|全)?(大写|小写)(?:字母|形式)?")
_REF_OF = re.compile(
    r"^(?:the\s+)?(?:value|text|content|contents|number|entry)\s+"
    r"(?:of|for|next to|beside|that corresponds? (?:with|to))\s+(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_REF_WORD = re.compile(
    r"^(?:the\s+)?((?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
    r"\s+(?:word|line|number|sentence))\s+(?:in|of|from)\s+(.+)$",
    re.IGNORECASE,
)
_REF_TEXT_IN = re.compile(
    r"^(?:the\s+|all\s+(?:of\s+)?the\s+)?(?:text|content|contents|words)\s+(?:in|of|from|inside)\s+(.+)$",
    re.I,
)
_ZH_REF_OF = re.compile(r"^(.+?)(?:的值|对应的值|的内容|的数值)$")
_PRONOUN = re.compile(r"^(?:it|that|this|them|those|these|the same|that (?:word|text|value|number))$", re.I)
_VALUE_NOUN = re.compile(
    r"^(?:the\s+|a\s+)?(?:number|value|text|word|name|password|username|user name|email|code|phrase|string|"
    r"date|time|amount|item)\s+(\x00\d+\x00|\S+)$",
    re.IGNORECASE,
)
_DETERMINER = re.compile(r"\b(?:the|a|an|this|that|these|those|its|their|his|her)\b", re.IGNORECASE)
_ZH_PRONOUN = re.compile(r"^(?:它|该内容|这个|那个|其|此|该值|这个词|那个词)$")


@dataclass(frozen=True)
class Value:
    """A parsed value slot.

    Attributes:
        text: The literal text (``None`` for secrets and references).
        secret: A secret's name.
        ref: A reference to text on the page (a description), or ``$it``.
        quality: How sure the slot is a value (1 quoted, 0.9 one token, lower for phrases).
        noun: A noun that described the value ("the password "x"": ``password``).
    """

    text: str | None = None
    secret: str | None = None
    ref: str | None = None
    quality: float = 1.0
    noun: str | None = None


def take_transform(text: str) -> tuple[str, Transform | None]:
    """Remove a case instruction from ``text`` and say which."""
    m = _TRANSFORM.search(text)
    if m:
        word = (m.group(1) or m.group(2) or "").lower()
        kind: Transform = (
            "upper" if word in ("upper", "capital", "uppercase", "capitals", "caps") else "lower"
        )
        if word == "title":
            kind = "title"
        return (text[: m.start()] + text[m.end() :]).strip(), kind
    zm = _ZH_TRANSFORM.search(text)
    if zm:
        kind = "upper" if zm.group(1) == "大写" else "lower"
        return (text[: zm.start()] + text[zm.end() :]).strip(" ，,"), kind
    return text, None


def apply_transform(text: str, transform: Transform | None) -> str:
    """``text`` rewritten as ``transform`` says."""
    if transform == "upper":
        return text.upper()
    if transform == "lower":
        return text.lower()
    if transform == "title":
        return text.title()
    return text


def parse_value(raw: str, masked: Masked) -> Value | None:
    """Classify a value phrase; ``None`` when it cannot be a value."""
    phrase = raw.strip().strip(",，")
    if not phrase:
        return None
    only = TOKEN_RE.fullmatch(phrase)
    if only:
        lit = masked.literals[int(only.group(1))]
        secret = SECRET_RE.match(lit.strip())
        return Value(secret=reference_name(secret)) if secret else Value(text=lit)
    secret = SECRET_RE.match(phrase)
    if secret:
        return Value(secret=reference_name(secret))
    if _PRONOUN.match(phrase) or _ZH_PRONOUN.match(phrase):
        return Value(ref="$it", quality=0.95)
    noun = _VALUE_NOUN.match(phrase)
    if noun:
        inner = parse_value(noun.group(1), masked)
        if inner is not None and inner.ref is None:
            word = phrase.split()[1 if phrase.lower().startswith(("the ", "a ")) else 0].lower()
            return Value(inner.text, inner.secret, None, min(inner.quality, 0.95), word)
    zh = _ZH_REF_OF.match(phrase)
    if zh:
        return Value(ref=f"the value of {masked.restore(zh.group(1), quote=False)}", quality=0.9)
    for pattern in (_REF_WORD, _REF_OF, _REF_TEXT_IN):
        m = pattern.match(phrase)
        if m:
            return Value(ref=masked.restore(phrase, quote=True), quality=0.9)
    restored = masked.restore(phrase, quote=False)
    words = restored.split()
    if len(words) == 1:
        return Value(text=restored, quality=0.9)
    if re.fullmatch(r"[\d/:.\-\s]+(?:\s*[AaPp]\.?[Mm]\.?)?", restored):
        return Value(text=restored, quality=0.9)  # 9:37 PM, 05/20/2010, 1 000
    if TOKEN_RE.search(phrase) or _DETERMINER.search(restored) or len(words) > 4:
        return None  # a phrase with quotes or articles inside is not one literal value
    return Value(text=restored, quality=0.6)


__all__ = ["SECRET_RE", "Value", "apply_transform", "parse_value", "take_transform"]
