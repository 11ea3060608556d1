"""Turn a target description into text plus hints: role, ordinal, position, anchor.

Examples (English and Chinese)::

    "the Sign in button"          -> text "Sign in", role button
    "the second link"             -> role link, ordinal 2
    "the field below Email"       -> role textbox, relation below, anchor "Email"
    "Settings in the top right"   -> text "Settings", region top-right
    "第二个链接"                   -> role link, ordinal 2
    "邮箱下面的输入框"              -> role textbox, relation below, anchor "邮箱"
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

Relation = Literal["below", "above", "right_of", "left_of", "near"]
VRegion = Literal["top", "bottom", "middle"]
HRegion = Literal["left", "right", "center"]


class TargetSpec(BaseModel):
    """What a description asks for.

    Attributes:
        text: The visible text or label to match ("" when only hints were given).
        role: Normalised role: button, link, textbox, checkbox, radio, tab, menu, combobox.
        ordinal: 1-based position among matches in reading order; -1 for the last.
        relation: Where the target lies relative to ``anchor``.
        anchor: Text of the element the relation refers to.
        vregion: Vertical screen region hint.
        hregion: Horizontal screen region hint.
        raw: The description as given.
    """

    model_config = ConfigDict(frozen=True)

    text: str = ""
    role: str | None = None
    ordinal: int | None = None
    relation: Relation | None = None
    anchor: str | None = None
    vregion: VRegion | None = None
    hregion: HRegion | None = None
    raw: str = ""


ROLE_WORDS: dict[str, str] = {
    "button": "button",
    "btn": "button",
    "link": "link",
    "hyperlink": "link",
    "text field": "textbox",
    "input field": "textbox",
    "input box": "textbox",
    "text box": "textbox",
    "search box": "textbox",
    "edit box": "textbox",
    "textbox": "textbox",
    "textarea": "textbox",
    "field": "textbox",
    "input": "textbox",
    "box": "textbox",
    "check box": "checkbox",
    "checkbox": "checkbox",
    "tickbox": "checkbox",
    "radio button": "radio",
    "radio": "radio",
    "option": "option",
    "tab": "tab",
    "menu item": "menu",
    "menu": "menu",
    "dropdown": "combobox",
    "drop-down": "combobox",
    "select box": "combobox",
    "select": "combobox",
    "combo box": "combobox",
    "combobox": "combobox",
    "list": "combobox",
    "icon": "icon",
    "image": "image",
}
ZH_ROLE_WORDS: dict[str, str] = {
    "按钮": "button",
    "链接": "link",
    "超链接": "link",
    "输入框": "textbox",
    "文本框": "textbox",
    "搜索框": "textbox",
    "字段": "textbox",
    "复选框": "checkbox",
    "勾选框": "checkbox",
    "单选框": "radio",
    "单选按钮": "radio",
    "标签页": "tab",
    "选项卡": "tab",
    "菜单项": "menu",
    "菜单": "menu",
    "下拉框": "combobox",
    "下拉菜单": "combobox",
    "图标": "icon",
    "框": "textbox",
}
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
}
_ZH_DIGITS = {
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
_QUOTED = re.compile(r"[\"“”'‘’「」『』]([^\"“”'‘’「」『』]+)[\"“”'‘’「」『』]")
_EN_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|(\d+)(?:st|nd|rd|th))\b"
)
_EN_REGION = re.compile(
    r"\b(?:(?:in|at|on)\s+)?(?:the\s+)?(top|upper|bottom|lower)?[\s-]*(left|right)?"
    r"(?:\s+(?:corner|side|of the (?:page|screen)))?\b"
)
_EN_RELATION = re.compile(
    r"\b(below|under|underneath|beneath|above|over|(?:to the )?right of|(?:to the )?left of|"
    r"next to|beside|near)\s+(.+)$"
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
_ZH_REGION = re.compile(
    r"(?:在|位于)?(左上角|右上角|左下角|右下角|顶部|上方|底部|下方|左侧|右侧|中间|中央)的?"
)
_ZH_REGION_MAP: dict[str, tuple[VRegion | None, HRegion | None]] = {
    "左上角": ("top", "left"),
    "右上角": ("top", "right"),
    "左下角": ("bottom", "left"),
    "右下角": ("bottom", "right"),
    "顶部": ("top", None),
    "上方": ("top", None),
    "底部": ("bottom", None),
    "下方": ("bottom", None),
    "左侧": (None, "left"),
    "右侧": (None, "right"),
    "中间": ("middle", "center"),
    "中央": ("middle", "center"),
}
_ZH_ORDINAL = re.compile(r"(?:第([一二两三四五六七八九十]|\d+)|最后一)个?")
_ARTICLES = re.compile(r"^(?:the|a|an|on|at|in)\s+|\s+(?:on the page|on screen|on the screen)$")


def parse_target(description: str) -> TargetSpec:
    """Split ``description`` into matchable text and hints (English or Chinese)."""
    raw = description.strip()
    whole = _QUOTED.fullmatch(raw)
    if whole:
        return TargetSpec(text=whole.group(1).strip(), raw=raw)
    quoted = _QUOTED.search(raw)
    chinese = re.search(r"[\u4e00-\u9fff]", _QUOTED.sub("", raw))
    spec = _parse_zh(raw) if chinese else _parse_en(raw)
    if quoted and not spec.relation:
        spec = spec.model_copy(update={"text": quoted.group(1).strip()})
    return spec.model_copy(update={"raw": raw})


def _strip_role(text: str, words: dict[str, str], *, sep: str) -> tuple[str, str | None]:
    """Remove one role word at the end (or start) of ``text``."""
    for word in sorted(words, key=len, reverse=True):
        if sep:
            m = re.search(rf"(^|\s){re.escape(word)}s?$", text) or re.search(
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


def _parse_en(raw: str) -> TargetSpec:
    lower_src = raw
    relation: Relation | None = None
    anchor: str | None = None
    m = _EN_RELATION.search(lower_src.lower())
    if m:
        relation = _REL_MAP[m.group(1)]
        anchor = _clean_en(_unquote(lower_src[m.start(2) :]))
        lower_src = lower_src[: m.start()].strip()
    vregion, hregion, lower_src = _en_region(lower_src)
    ordinal = None
    om = _EN_ORDINAL.search(lower_src.lower())
    if om:
        ordinal = int(om.group(2)) if om.group(2) else _ORDINALS[om.group(1)]
        lower_src = (lower_src[: om.start()] + lower_src[om.end() :]).strip()
    text = _clean_en(lower_src)
    text, role = _strip_role_keep_case(text)
    text = _clean_en(text)
    bare = ordinal is None and relation is None and vregion is None and hregion is None
    if role is not None and not text and bare and not re.match(r"(?i)(the|a|an|any)\s", raw):
        text, role = _clean_en(lower_src), None  # "click Menu": the role word is the label
    return TargetSpec(
        text=_unquote(text),
        role=role,
        ordinal=ordinal,
        relation=relation,
        anchor=anchor,
        vregion=vregion,
        hregion=hregion,
    )


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
    m = _QUOTED.fullmatch(text.strip())
    return m.group(1).strip() if m else text.strip().strip("\"'“”‘’「」")


def _parse_zh(raw: str) -> TargetSpec:
    work = raw.strip().strip("。")
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
    if role is not None and not text and ordinal is None and relation is None and vregion is None:
        text, role = work, None
    if role is None:  # an English role word after Chinese text: "登录 button"
        text, role = _strip_role_keep_case(text)
    return TargetSpec(
        text=_unquote(text),
        role=role,
        ordinal=ordinal,
        relation=relation,
        anchor=anchor,
        vregion=vregion,
        hregion=hregion,
    )


def _zh_number(token: str) -> int:
    return int(token) if token.isdigit() else _ZH_DIGITS[token]
