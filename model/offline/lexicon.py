"""Words the interpreter knows: verbs with their particles, discourse words, quantifiers.

Verbs are grouped in classes; each class has one frame set in ``frames_en`` /
``frames_zh``. Matching takes the longest surface form first, so "double click" wins over
"click" and "fill in" over "fill". Nothing here names a page or a task; role nouns live in
:mod:`screenpilot.model.offline.hints`.
"""

from __future__ import annotations

import re
from functools import cache

VerbClass = str

EN_VERBS: dict[str, VerbClass] = {
    # pointer
    "click": "click",
    "click on": "click",
    "click at": "click",
    "tap": "click",
    "tap on": "click",
    "push": "click",
    "hit": "press",
    "press": "press",
    "press on": "click",
    "double click": "double_click",
    "double-click": "double_click",
    "doubleclick": "double_click",
    "double click on": "double_click",
    "double-click on": "double_click",
    "double tap": "double_click",
    "right click": "right_click",
    "right-click": "right_click",
    "right click on": "right_click",
    "right-click on": "right_click",
    "context-click": "right_click",
    "hover": "hover",
    "hover over": "hover",
    "hover on": "hover",
    "mouse over": "hover",
    "mouseover": "hover",
    "move the mouse over": "hover",
    "move the mouse to": "hover",
    "move the pointer over": "hover",
    "point at": "hover",
    # text
    "type": "type",
    "type in": "type",
    "enter": "type",
    "input": "type",
    "write": "type",
    "write down": "type",
    "fill": "fill",
    "fill in": "fill",
    "fill out": "fill",
    "put": "type",
    "key in": "type",
    "insert": "type",
    "provide": "type",
    "set": "set",
    "adjust": "set",
    "change": "set",
    "clear": "clear",
    "empty": "clear",
    "erase": "clear",
    # choices
    "select": "choose",
    "choose": "choose",
    "pick": "choose",
    "pick out": "choose",
    "opt for": "choose",
    "check": "check",
    "tick": "check",
    "mark": "check",
    "enable": "check",
    "turn on": "check",
    "switch on": "check",
    "uncheck": "uncheck",
    "untick": "uncheck",
    "unmark": "uncheck",
    "deselect": "uncheck",
    "unselect": "uncheck",
    "disable": "uncheck",
    "turn off": "uncheck",
    "switch off": "uncheck",
    # widgets and places
    "focus": "focus",
    "focus on": "focus",
    "focus into": "focus",
    "focus in": "focus",
    "expand": "expand",
    "unfold": "expand",
    "collapse": "collapse",
    "fold": "collapse",
    "close": "close",
    "dismiss": "close",
    "shut": "close",
    "exit": "close",
    "get rid of": "close",
    "switch to": "switch",
    "switch between": "switch",
    "switch": "switch",
    "go to": "open",
    "navigate to": "open",
    "navigate through": "find",
    "navigate": "open",
    "open": "open",
    "visit": "open",
    "load": "open",
    "browse to": "open",
    "browse": "find",
    "scroll": "scroll",
    "drag": "drag",
    "move": "drag",
    "highlight": "highlight",
    "copy": "copy",
    "paste": "paste",
    "submit": "submit",
    "find": "find",
    "locate": "find",
    "look for": "find",
    "look up": "search",
    "search for": "search",
    "search": "search",
    "wait": "wait",
    "wait for": "wait",
    "wait until": "wait",
    "wait till": "wait",
    "answer": "answer",
    "respond": "answer",
    "respond with": "answer",
    "say": "answer",
    "log in": "login",
    "login": "login",
    "log on": "login",
    "sign in": "login",
    "sign on": "login",
    "signin": "login",
    "use": "use",
    # verbs that name the control that does them ("forward it to Bo" presses Forward)
    "forward": "act",
    "reply": "act",
    "reply to": "act",
    "delete": "act",
    "remove": "act",
    "send": "act",
    "share": "act",
    "like": "act",
    "retweet": "act",
    "star": "act",
    "archive": "act",
    "buy": "act",
    "book": "act",
    "save": "act",
    "confirm": "act",
    "accept": "act",
    "agree to": "act",
    "download": "act",
    "edit": "act",
    "add": "act",
    "mute": "act",
    "block": "act",
    "follow": "act",
    "subscribe to": "act",
    "subscribe": "act",
    "order": "act",
}
"""English verbs (lower case) and their classes."""

ZH_VERBS: dict[str, VerbClass] = {
    "点击": "click",
    "单击": "click",
    "点按": "click",
    "轻触": "click",
    "轻点": "click",
    "点一下": "click",
    "点": "click",
    "按下": "press",
    "按": "press",
    "敲": "press",
    "双击": "double_click",
    "右键点击": "right_click",
    "右键单击": "right_click",
    "右击": "right_click",
    "右键": "right_click",
    "悬停在": "hover",
    "悬停": "hover",
    "把鼠标移到": "hover",
    "将鼠标移到": "hover",
    "鼠标移到": "hover",
    "移到": "hover",
    "输入": "type",
    "填写": "type",
    "填入": "type",
    "键入": "type",
    "写入": "type",
    "填上": "type",
    "写上": "type",
    "填": "type",
    "设置": "set",
    "设定": "set",
    "调整": "set",
    "调到": "set",
    "清空": "clear",
    "清除": "clear",
    "选择": "choose",
    "挑选": "choose",
    "选取": "choose",
    "选中": "choose",
    "选": "choose",
    "勾选": "check",
    "勾上": "check",
    "打勾": "check",
    "启用": "check",
    "取消勾选": "uncheck",
    "取消选中": "uncheck",
    "去掉勾选": "uncheck",
    "取消选择": "uncheck",
    "禁用": "uncheck",
    "聚焦到": "focus",
    "聚焦于": "focus",
    "聚焦": "focus",
    "定位到": "focus",
    "展开": "expand",
    "折叠": "collapse",
    "收起": "collapse",
    "关闭": "close",
    "关掉": "close",
    "关上": "close",
    "切换到": "switch",
    "切换": "switch",
    "打开": "open",
    "访问": "open",
    "前往": "open",
    "进入": "open",
    "转到": "open",
    "跳转到": "open",
    "滚动": "scroll",
    "滑动": "scroll",
    "拖动": "drag",
    "拖拽": "drag",
    "拖": "drag",
    "高亮": "highlight",
    "复制": "copy",
    "拷贝": "copy",
    "粘贴": "paste",
    "提交": "submit",
    "找到": "find",
    "查找": "find",
    "寻找": "find",
    "找": "find",
    "搜索": "search",
    "等待": "wait",
    "等到": "wait",
    "等": "wait",
    "回答": "answer",
    "答复": "answer",
    "登录": "login",
    "登入": "login",
    "登陆": "login",
    "使用": "use",
    "用": "use",
    "转发": "act",
    "回复": "act",
    "删除": "act",
    "发送": "act",
    "分享": "act",
    "保存": "act",
    "购买": "act",
    "收藏": "act",
    "下载": "act",
}
"""Chinese verbs and their classes."""

EN_LEAD = re.compile(
    r"^(?:(?:please|kindly|first(?:ly)?|next|then|finally|lastly|now|also|after that|afterwards|"
    r"and|just|go ahead and|you should|you need to|you must|i want you to|could you|can you|"
    r"try to|make sure to|be sure to)\b[\s,]*)+",
    re.IGNORECASE,
)
"""Discourse words before a clause's verb."""

ZH_LEAD = re.compile(r"^(?:请你|请|先|首先|然后|再|最后|接着|之后|随后|并且|并|还要|需要|帮我|麻烦)+")

EN_TAIL = re.compile(
    r"[\s,]*(?:when (?:you are |you're )?(?:done|finished|ready)|when finished|once (?:you are )?done|"
    r"at the end|please|for me|now|afterwards)\s*$",
    re.IGNORECASE,
)
"""Trailing adjuncts that add nothing to a step."""

ZH_TAIL = re.compile(r"(?:即可|就行了?|就可以了?|完成后|完成之后|吧|一下)$")

QUANT_ALL = re.compile(r"^(?:all|every|each|both|all of the|all the|each of the|every one of the)\b\s*", re.I)
ZH_QUANT_ALL = re.compile(r"^(?:所有的?|全部的?|每一?个|两个|每条|每篇|都)")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def en_verb_pattern() -> re.Pattern[str]:
    """Matches an English verb at the start of a clause (longest surface form first)."""
    return re.compile(rf"^({_alternation(list(EN_VERBS))})(?![\w-])", re.IGNORECASE)


@cache
def zh_verb_pattern() -> re.Pattern[str]:
    """Matches a Chinese verb at the start of a clause (longest surface form first)."""
    return re.compile(rf"^({_alternation(list(ZH_VERBS))})")


@cache
def zh_verb_anywhere() -> re.Pattern[str]:
    """Finds a Chinese verb anywhere (Chinese clauses may name the field before the verb)."""
    return re.compile(_alternation(list(ZH_VERBS)))


def en_verb(text: str) -> tuple[VerbClass, str, str] | None:
    """The verb class, the verb as written and the rest, when ``text`` starts with a verb."""
    m = en_verb_pattern().match(text)
    if not m:
        return None
    surface = re.sub(r"\s+", " ", m.group(1).lower())
    return EN_VERBS[surface], m.group(1), text[m.end() :].strip()


def zh_verb(text: str) -> tuple[VerbClass, str, str] | None:
    """The verb class, the verb as written and the rest, when ``text`` starts with a verb."""
    m = zh_verb_pattern().match(text)
    if not m:
        return None
    return ZH_VERBS[m.group(1)], m.group(1), text[m.end() :].strip()


def starts_with_verb(text: str) -> bool:
    """Whether a clause piece starts (after discourse words) with a known verb."""
    rest = EN_LEAD.sub("", text.strip())
    rest = ZH_LEAD.sub("", rest)
    return bool(en_verb_pattern().match(rest) or zh_verb_pattern().match(rest))


KEY_WORDS = re.compile(
    r"^(?:the\s+)?(?:(?:ctrl|control|alt|option|shift|cmd|command|meta|super|win)\s*[+-]\s*)*"
    r"(?:enter|return|escape|esc|tab|space|spacebar|backspace|delete|del|home|end|page\s*up|page\s*down|"
    r"up|down|left|right|f\d{1,2}|[a-z0-9])(?:\s+(?:key|button))?$",
    re.IGNORECASE,
)
"""What ``press X`` means as a key, not a button (``press Enter``, ``press ctrl+a``)."""
