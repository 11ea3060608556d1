"""Turn a target description into text plus hints: role, ordinal, position, anchor, container.

Examples (English and Chinese)::

    "the Sign in button"                        -> text "Sign in", role button
    "the second link"                           -> role link, ordinal 2
    "the field below Email"                     -> role textbox, relation below, anchor "Email"
    "Settings in the top right"                 -> text "Settings", region top-right
    'the button in the dialog labeled "Cancel"' -> text "Cancel", role button, within dialog
    'a "textarea" widget'                       -> role textbox
    "第二个链接"                                 -> role link, ordinal 2
    "邮箱下面的输入框"                            -> role textbox, relation below, anchor "邮箱"

The description's own role noun always wins over a role the verb suggests ("check the 1st
radio button" asks for a radio button, not a checkbox).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.model.offline.roles import ROLE_WORDS, ZH_ROLE_WORDS

Relation = Literal["below", "above", "right_of", "left_of", "near"]
VRegion = Literal["top", "bottom", "middle"]
HRegion = Literal["left", "right", "center"]


class TargetSpec(BaseModel):
    """What a description asks for.

    Attributes:
        text: The visible text or label to match ("" when only hints were given).
        role: Canonical element kind (see :mod:`screenpilot.model.offline.roles`); ``None``
            when the description names none.
        noun: Whether the description had a role noun (even one naming no kind: "item").
        ordinal: 1-based position among matches in reading order; -1 for the last.
        relation: Where the target lies relative to ``anchor``.
        anchor: Text of the element the relation refers to.
        within: The container the target is in: a role (``dialog``, ``section``) or a text.
        vregion: Vertical screen region hint.
        hregion: Horizontal screen region hint.
        raw: The description as given.
    """

    model_config = ConfigDict(frozen=True)

    text: str = ""
    role: str | None = None
    noun: bool = False
    ordinal: int | None = None
    relation: Relation | None = None
    anchor: str | None = None
    within: str | None = None
    vregion: VRegion | None = None
    hregion: HRegion | None = None
    raw: str = ""


_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
    "final": -1,
    "bottom": -1,
    "top": 1,
}
ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
QUOTED = re.compile(r"[\"“”'‘’「」『』]([^\"“”'‘’「」『』]+)[\"“”'‘’「」『』]")
_EN_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|(\d+)(?:st|nd|rd|th))\b"
    r"|\b(top|bottom)(?=\s+(?:one|item|entry|row|result|link|button|checkbox|radio)\b)",
    re.IGNORECASE,
)
_EN_REGION = re.compile(
    r"\b(?:(?:in|at|on)\s+)?(?:the\s+)?(top|upper|bottom|lower)?[\s-]*(left|right)?"
    r"(?:\s+(?:corner|side|of the (?:page|screen)))?\b"
)
_EN_RELATION = re.compile(
    r"\b(below|under|underneath|beneath|above|over|(?:to the )?right of|(?:to the )?left of|"
    r"next to|beside|near)\s+(.+)$",
    re.IGNORECASE,
)
_REL_MAP: dict[str, Relation] = {
    "below": "below",
    "under": "below",
    "underneath": "below",
    "beneath": "below",
    "above": "above",
    "over": "above",
    "right of": "right_of",
    "to the right of": "right_of",
    "left of": "left_of",
    "to the left of": "left_of",
    "next to": "near",
    "beside": "near",
    "near": "near",
}
_EN_LABEL = re.compile(
    r"\s*,?\s*\b(?:that is |which is )?(?:labell?ed(?:\s+as)?|named|called|titled|entitled|marked|"
    r"that (?:says|reads)|saying|reading|with the (?:label|text|name|title|caption)|"
    r"with (?:label|text|name|title|caption))\s+(.+)$",
    re.IGNORECASE,
)
_EN_WITHIN = re.compile(
    r"\s*\b(?:in|inside|within|on|of|from)\s+(?:the|this|that|a)\s+"
    r"(dialog(?:\s+box)?|pop-?up(?:\s+window)?|modal(?:\s+window)?|window|menu|form|toolbar|"
    r"(?:[\w\x00\"]+\s+){0,3}(?:section|panel|tab|card|row|box))\b",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"\s+(?:below|above|here|there|on the (?:page|screen)|on screen)$", re.IGNORECASE)
_ZH_RELATION = re.compile(
    r"^(.+?)(下面|下方|之下|下边|上面|上方|之上|上边|右边|右侧|右方|左边|左侧|左方|旁边|附近)的?(.*)$"
)
_ZH_REL_MAP: dict[str, Relation] = {
    "下面": "below",
    "下方": "below",
    "之下": "below",
    "下边": "below",
    "上面": "above",
    "上方": "above",
    "之上": "above",
    "上边": "above",
    "右边": "right_of",
    "右侧": "right_of",
    "右方": "right_of",
    "左边": "left_of",
    "左侧": "left_of",
    "左方": "left_of",
    "旁边": "near",
    "附近": "near",
}
_ZH_REGION = re.compile(r"(?:在|位于)?(左上角|右上角|左下角|右下角|顶部|底部|中间|中央)的?")
_ZH_REGION_MAP: dict[str, tuple[VRegion | None, HRegion | None]] = {
    "左上角": ("top", "left"),
    "右上角": ("top", "right"),
    "左下角": ("bottom", "left"),
    "右下角": ("bottom", "right"),
    "顶部": ("top", None),
    "底部": ("bottom", None),
    "中间": ("middle", "center"),
    "中央": ("middle", "center"),
}
_ZH_ORDINAL = re.compile(r"(?:第\s*([一二两三四五六七八九十]|\d+)|最后一)\s*(?:个|项|条|篇|行)?")
_ZH_LABEL = re.compile(r"(?:标为|名为|叫做?|写着|显示为?|文字为|标签为|标有|标着)\s*(.+?)\s*的?$")
_ZH_LABEL_MID = re.compile(r"^(.*?)(?:标为|名为|叫做?|写着|文字为|标签为|标有|标着)\s*(.+?)\s*的(.*)$")
_ZH_WITHIN = re.compile(r"^(对话框|弹窗|弹出框|窗口|菜单|表单)(?:中|里|内|上)?的?")
_ARTICLES = re.compile(
    r"^(?:the|a|an|any|one|on|at|in|into|onto)\s+|\s+(?:on the page|on screen|on the screen)$", re.I
)


def parse_target(description: str) -> TargetSpec:
    """Split ``description`` into matchable text and hints (English or Chinese)."""
    raw = description.strip()
    whole = QUOTED.fullmatch(raw)
    if whole:
        return TargetSpec(text=whole.group(1), raw=raw)
    chinese = re.search(r"[\u4e00-\u9fff]", QUOTED.sub("", raw))
    spec = _parse_zh(raw) if chinese else _parse_en(raw)
    return spec.model_copy(update={"raw": raw})


def role_of_word(word: str) -> str | None:
    """The kind a bare role noun names ("textarea" -> textbox), or ``None``."""
    w = word.strip().lower()
    return ROLE_WORDS.get(w) or ROLE_WORDS.get(w.rstrip("s")) or ZH_ROLE_WORDS.get(w)


_WIDGET_KINDS = {"text": "textinput", "input": "textinput", "password": "textinput", "number": "spinbutton"}
"""Input types that name a kind of widget when quoted ("a "text" widget")."""


def _widget_kind(word: str) -> str | None:
    return _WIDGET_KINDS.get(word.strip().lower()) or role_of_word(word)


def _strip_role(text: str, words: dict[str, str], *, sep: str) -> tuple[str, str | None]:
    """Remove one role word at the end (or start) of ``text``."""
    for word in sorted(words, key=len, reverse=True):
        if sep:
            m = re.search(rf"(^|\s){re.escape(word)}(?:s|es)?$", text) or re.search(
                rf"^{re.escape(word)}(\s|$)", text
            )
        else:
            m = re.search(rf"{re.escape(word)}$", text) or re.search(rf"^{re.escape(word)}", text)
        if m:
            rest = (text[: m.start()] + text[m.end() :]).strip()
            return rest, words[word]
    return text, None


def _clean_en(text: str) -> str:
    prev = None
    text = text.strip(" ,.")
    while prev != text:
        prev = text
        text = _ARTICLES.sub("", text).strip(" ,.")
    return text


def _pull(pattern: re.Pattern[str], text: str) -> tuple[str | None, str]:
    m = pattern.search(text)
    if not m:
        return None, text
    return m.group(1), (text[: m.start()] + text[m.end() :]).strip()


def _parse_en(raw: str) -> TargetSpec:
    work = raw
    label, work = _pull(_EN_LABEL, work)
    within, work = _pull(_EN_WITHIN, work)
    relation: Relation | None = None
    anchor: str | None = None
    m = _EN_RELATION.search(work)
    if m and _clean_en(m.group(2)):
        relation = _REL_MAP[re.sub(r"\s+", " ", m.group(1).lower())]
        anchor = _unquote(_clean_en(m.group(2)))
        work = work[: m.start()].strip()
    work = _DANGLING.sub("", work)
    vregion, hregion, work = _en_region(work)
    ordinal = None
    om = _EN_ORDINAL.search(work)
    if om and not QUOTED.fullmatch(_clean_en(work)):
        token = (om.group(1) or om.group(3)).lower()
        ordinal = int(om.group(2)) if om.group(2) else _ORDINALS[token]
        work = (work[: om.start()] + work[om.end() :]).strip()
    text = _clean_en(work)
    text, role = _strip_role_keep_case(text)
    text = _clean_en(text)
    noun = role is not None
    bare = ordinal is None and relation is None and vregion is None and hregion is None and label is None
    if role is not None and not text and bare and not re.match(r"(?i)(the|a|an|any|one)\s", raw):
        text, role, noun = _clean_en(work), None, False  # "click Menu": the role word is the label
    quoted = QUOTED.fullmatch(text.strip())
    if label is not None:
        text = _unquote(label)
    elif quoted and role in ("any", None) and noun and _widget_kind(quoted.group(1)):
        text, role = "", _widget_kind(quoted.group(1))  # a "textarea" widget: a kind, not a label
    else:
        inner = QUOTED.search(text)
        text = inner.group(1) if inner and relation is None else _unquote(text)
    return TargetSpec(
        text=text,
        role=None if role == "any" else role,
        noun=noun,
        ordinal=ordinal,
        relation=relation,
        anchor=anchor,
        within=_within(within),
        vregion=vregion,
        hregion=hregion,
    )


def _within(phrase: str | None) -> str | None:
    if phrase is None:
        return None
    text = re.sub(r"\s+", " ", phrase.strip())
    kind = role_of_word(text) or role_of_word(text.split(" ")[-1])
    if kind in ("dialog", "menu") or text.lower() in ("form", "toolbar"):
        return kind or text.lower()
    rest, _ = _strip_role(text.lower(), ROLE_WORDS, sep=" ")
    name = text[: len(rest)] if rest else ""
    return _unquote(name) or kind


def _strip_role_keep_case(text: str) -> tuple[str, str | None]:
    lowered = text.lower()
    rest, role = _strip_role(lowered, ROLE_WORDS, sep=" ")
    if role is None:
        return text, None
    start = lowered.find(rest) if rest else 0
    return (text[start : start + len(rest)] if rest else ""), role


def _en_region(text: str) -> tuple[VRegion | None, HRegion | None, str]:
    lowered = text.lower()
    for m in _EN_REGION.finditer(lowered):
        v, h = m.group(1), m.group(2)
        if not (v or h):
            continue
        phrase = m.group(0)
        # "left"/"right" alone are regions only with "corner"/"side" or a preposition.
        # "Top stories" is a label, "top right" / "at the top" / "left side" are regions.
        if not (v and h) and not re.search(r"corner|side|page|screen|\b(in|at|on)\b", phrase):
            continue
        vr: VRegion | None = "top" if v in ("top", "upper") else "bottom" if v else None
        hr: HRegion | None = h if h in ("left", "right") else None  # type: ignore[assignment]
        return vr, hr, (text[: m.start()] + text[m.end() :]).strip()
    return None, None, text


def _unquote(text: str) -> str:
    m = QUOTED.fullmatch(text.strip())
    return m.group(1) if m else text.strip().strip("\"'“”‘’「」")


def _parse_zh(raw: str) -> TargetSpec:
    work = raw.strip().strip("。")
    within_m = _ZH_WITHIN.match(work)
    within = None
    if within_m and within_m.end() < len(work):
        within, work = role_of_word(within_m.group(1)) or within_m.group(1), work[within_m.end() :]
    label = None
    mid = _ZH_LABEL_MID.match(work)
    if mid:
        label, work = mid.group(2), (mid.group(1) + mid.group(3)).strip()
    else:
        label, work = _pull(_ZH_LABEL, work)
    relation: Relation | None = None
    anchor: str | None = None
    m = _ZH_RELATION.match(work)
    if m and m.group(3):
        relation, anchor, work = _ZH_REL_MAP[m.group(2)], _unquote(m.group(1)), m.group(3)
    vregion: VRegion | None = None
    hregion: HRegion | None = None
    rm = _ZH_REGION.search(work)
    if rm and relation is None:
        vregion, hregion = _ZH_REGION_MAP[rm.group(1)]
        work = (work[: rm.start()] + work[rm.end() :]).strip()
    ordinal = None
    om = _ZH_ORDINAL.search(work)
    if om:
        ordinal = -1 if om.group(0).startswith("最后") else _zh_number(om.group(1))
        work = (work[: om.start()] + work[om.end() :]).strip()
    work = work.strip().lstrip("的").strip()
    text, role = _strip_role(work, ZH_ROLE_WORDS, sep="")
    text = text.strip().rstrip("的").strip()
    noun = role is not None
    if (
        role is not None
        and not text
        and ordinal is None
        and relation is None
        and vregion is None
        and not label
    ):
        text, role, noun = work, None, False
    if role is None:  # an English role word after Chinese text: "登录 button"
        text, role = _strip_role_keep_case(text)
        noun = role is not None
    return TargetSpec(
        text=_unquote(label) if label else _unquote(text),
        role=None if role == "any" else role,
        noun=noun,
        ordinal=ordinal,
        relation=relation,
        anchor=anchor,
        within=within,
        vregion=vregion,
        hregion=hregion,
    )


def _zh_number(token: str) -> int:
    return int(token) if token.isdigit() else ZH_DIGITS[token]
