"""Turn imperative instructions (English or Chinese) into steps.

Clauses are joined by "and", "then", commas, semicolons, "然后", "并", "接着"; a joiner
only splits where the next piece starts with a known verb, so "check Terms and
Conditions" stays one clause. Quoted text ("...", '...', “...”, 「...」) is taken
literally and never split. Each clause is matched against a table of general patterns;
nothing here knows about particular pages or tasks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from screenpilot.model.offline.steps import Step
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.keys import UnknownKeyError, normalize_key

_QUOTE_RE = re.compile(
    r"\"([^\"]*)\"|“([^”]*)”|「([^」]*)」|『([^』]*)』|‘([^’]*)’|(?<![\w])'([^']+)'(?![\w])"
)
_TOKEN = "\x00{}\x00"  # noqa: S105 (a placeholder, not a secret)
_TOKEN_RE = re.compile(r"\x00(\d+)\x00")
_SPLIT_RE = re.compile(
    r"\s*(?:,\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|\band\b|;|,|，|；|。|、|然后再|然后|接着|之后|并且|并|再)\s*",
    re.IGNORECASE,
)
_LEAD_RE = re.compile(
    r"^(?:please|kindly|first(?:ly)?|next|finally|lastly|now|also|请|先|首先|最后|然后|再)[\s,，]*", re.I
)
_VERB_RE = re.compile(
    r"^(?:double[- ]?click|right[- ]?click|click|tap|hit|press|push|type|enter|input|write|fill|put|set|"
    r"clear|empty|erase|scroll|select|choose|pick|check|tick|uncheck|untick|deselect|open|go\s+to|navigate|visit|"
    r"load|browse|wait|answer|reply|respond|say|report|hover|mouse\s+over|move\s+to|enable|disable|"
    r"双击|右键|右击|单击|点击|点按|点|按|轻触|在|输入|填写|填入|键入|往|向|清空|清除|从|勾选|选中|选择|"
    r"取消|打开|访问|前往|进入|等待|等到|回答|答复|滚动|悬停|移到)",
    re.IGNORECASE,
)
_URL_RE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S+|about:\S+|www\.\S+|localhost(?::\d+)?(?:/\S*)?|[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?)$",
    re.I,
)
_SECONDS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds|秒|秒钟)$", re.I)

Builder = Callable[[re.Match[str], list[str]], Step | None]


def interpret(instruction: str) -> list[Step]:
    """Parse ``instruction`` into steps.

    Raises:
        ModelOutputError: When a clause matches no pattern; the message names it.
    """
    literals: list[str] = []

    def keep(m: re.Match[str]) -> str:
        literals.append(next(g for g in m.groups() if g is not None))
        return _TOKEN.format(len(literals) - 1)

    masked = _QUOTE_RE.sub(keep, instruction.strip())
    steps: list[Step] = []
    for clause in split_clauses(masked):
        step = _parse_clause(clause, literals)
        if step is None:
            raise ModelOutputError(f"cannot interpret {_restore(clause, literals, quote=True)!r}")
        steps.append(step)
    if not steps:
        raise ModelOutputError("the instruction is empty")
    return steps


def split_clauses(masked: str) -> list[str]:
    """Split at joiners where the following piece starts with a verb."""
    pieces: list[str] = []
    pos = 0
    for m in _SPLIT_RE.finditer(masked):
        rest = _LEAD_RE.sub("", masked[m.end() :].lstrip())
        if _VERB_RE.match(rest) or not rest.strip():
            pieces.append(masked[pos : m.start()])
            pos = m.end()
    pieces.append(masked[pos:])
    out = []
    for piece in pieces:
        cleaned = _LEAD_RE.sub("", piece.strip()).strip(" .!。！")
        if cleaned:
            out.append(cleaned)
    return out


def _restore(text: str, literals: list[str], *, quote: bool) -> str:
    def sub(m: re.Match[str]) -> str:
        lit = literals[int(m.group(1))]
        return f'"{lit}"' if quote else lit

    return _TOKEN_RE.sub(sub, text).strip()


def _literal(text: str, literals: list[str]) -> str:
    """The text of a captured value: a quoted literal as is, else the words."""
    return _restore(text, literals, quote=False).strip(" \"'")


def _target(text: str, literals: list[str]) -> str:
    """A target description, quotes kept so the grounder matches quoted text exactly."""
    out = _restore(text, literals, quote=True).strip()
    # Chinese locatives ("框中", "列表里") belong to the verb, not to the target's name.
    return re.sub(r"(?<=[\u4e00-\u9fff\"])\s*(?:中|里|内|里面)$", "", out)


_ZH_KEYS = {
    "回车": "enter",
    "确认": "enter",
    "空格": "space",
    "退格": "backspace",
    "删除": "delete",
    "制表": "tab",
    "退出": "escape",
    "上": "up",
    "下": "down",
    "左": "left",
    "右": "right",
    "上箭头": "up",
    "下箭头": "down",
    "左箭头": "left",
    "右箭头": "right",
}


def _keys(text: str) -> tuple[str, ...] | None:
    spec = re.sub(r"\s*(?:keys?|键|按键)$", "", text.strip(), flags=re.I)
    spec = _ZH_KEYS.get(spec, spec)
    spec = re.sub(r"^(?:the\s+)", "", spec, flags=re.I)
    parts = [p for p in re.split(r"\s*[+＋]\s*|\s+", spec) if p]
    if not parts or len(parts) > 6:
        return None
    try:
        return tuple(normalize_key(p) for p in parts)
    except UnknownKeyError:
        return None


def _parse_clause(clause: str, literals: list[str]) -> Step | None:
    for pattern, build in _PATTERNS:
        m = pattern.match(clause)
        if m:
            step = build(m, literals)
            if step is not None:
                return step.model_copy(update={"clause": _restore(clause, literals, quote=True)})
    return None


# -- builders -----------------------------------------------------------------------------


def _click(kind: str) -> Builder:
    def build(m: re.Match[str], lit: list[str]) -> Step | None:
        target = _target(m.group("x"), lit)
        return Step(kind=kind, target=target) if target else None

    return build


def _open_or_click(m: re.Match[str], lit: list[str]) -> Step | None:
    arg = _literal(m.group("x"), lit)
    if _URL_RE.match(arg):
        return Step(kind="open", text=arg if "://" in arg or arg.startswith("about:") else f"https://{arg}")
    return Step(kind="click", target=_target(m.group("x"), lit))


def _type_into(m: re.Match[str], lit: list[str]) -> Step | None:
    target = m.groupdict().get("x")
    return Step(
        kind="type", text=_literal(m.group("t"), lit), target=_target(target, lit) if target else None
    )


def _press(m: re.Match[str], lit: list[str]) -> Step | None:
    keys = _keys(_literal(m.group("k"), lit))
    return Step(kind="press", keys=keys) if keys else None


def _scroll(m: re.Match[str], lit: list[str]) -> Step | None:
    words = {
        "up": "up",
        "down": "down",
        "left": "left",
        "right": "right",
        "上": "up",
        "下": "down",
        "左": "left",
        "右": "right",
    }
    d = m.group("d").lower()
    amount = float(m.group("n")) if m.groupdict().get("n") else None
    if d in ("bottom", "底部", "最下面"):
        d, amount = "down", 30.0
    elif d in ("top", "顶部", "最上面"):
        d, amount = "up", 30.0
    x = m.groupdict().get("x")
    return Step(
        kind="scroll", direction=words.get(d, d), amount=amount, target=_target(x, lit) if x else None
    )


def _select(m: re.Match[str], lit: list[str]) -> Step | None:
    return Step(kind="select", text=_literal(m.group("t"), lit), target=_target(m.group("x"), lit))


def _simple(kind: str, field: str = "target") -> Builder:
    def build(m: re.Match[str], lit: list[str]) -> Step | None:
        raw = m.group("x")
        value = _target(raw, lit) if field == "target" else _literal(raw, lit)
        return Step(kind=kind, **{field: value}) if value else None

    return build


def _wait(m: re.Match[str], lit: list[str]) -> Step | None:
    arg = _literal(m.group("x"), lit)
    secs = _SECONDS_RE.match(arg)
    if secs:
        return Step(kind="wait", amount=float(secs.group(1)))
    return Step(kind="wait_text", text=arg) if arg else None


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern + r"$", re.IGNORECASE)


_X = r"(?P<x>.+?)"
_T = r"(?P<t>\x00\d+\x00|[^\s]+|.+?)"
_ON = r"(?:\s+on)?\s+"
_PATTERNS: list[tuple[re.Pattern[str], Builder]] = [
    # English
    (
        _p(
            r"(?:open|go\s+to|navigate\s+to|visit|load|browse\s+to)\s+(?:(?:the\s+)?(?:url|page|website|site)\s+)?"
            + _X
        ),
        _open_or_click,
    ),
    (_p(r"double[- ]?click" + _ON + _X), _click("double_click")),
    (_p(r"right[- ]?click" + _ON + _X), _click("right_click")),
    (_p(r"(?:hover|mouse\s+over|move\s+(?:the\s+mouse\s+)?to)(?:\s+over)?\s+" + _X), _click("hover")),
    (_p(r"(?:press|hit)\s+(?P<k>.+?)"), _press),
    (
        _p(r"(?:type|enter|input|write|put|fill\s+in)\s+" + _T + r"\s+(?:into|in|inside|on|to|as)\s+" + _X),
        _type_into,
    ),
    (_p(r"(?:fill(?:\s+in|\s+out)?|set)\s+" + _X + r"\s+(?:with|to|as)\s+" + _T), _type_into),
    (_p(r"(?:type|enter|input|write)\s+" + _T), _type_into),
    (_p(r"(?:clear|empty|erase)\s+(?:the\s+(?:text\s+)?(?:in|of)\s+)?" + _X), _simple("clear")),
    (
        _p(
            r"scroll\s+(?:(?:in|on|inside|within)\s+"
            + _X
            + r"\s+)?(?:to\s+the\s+)?(?P<d>up|down|left|right|bottom|top)"
            r"(?:\s+(?P<n>\d+)\s*(?:times|notches|clicks|steps)?)?"
        ),
        _scroll,
    ),
    (
        _p(
            r"scroll\s+(?:to\s+the\s+)?(?P<d>up|down|left|right|bottom|top)(?:\s+(?P<n>\d+)\s*(?:times|notches|clicks|steps)?)?"
            r"\s+(?:in|on|inside|within)\s+" + _X
        ),
        _scroll,
    ),
    (_p(r"(?:select|choose|pick)\s+" + _T + r"\s+(?:from|in)\s+" + _X), _select),
    (_p(r"(?:uncheck|untick|deselect|disable)\s+" + _X), _simple("uncheck")),
    (_p(r"(?:check|tick|enable)\s+" + _X), _simple("check")),
    (
        _p(
            r"wait\s+(?:until|till|for)\s+"
            + _X
            + r"(?:\s+(?:appears|is\s+shown|shows\s+up|is\s+visible|to\s+appear))?"
        ),
        _wait,
    ),
    (_p(r"wait\s+(?:for\s+)?" + _X), _wait),
    (_p(r"(?:answer|reply|respond|report|say)(?:\s+with)?\s+" + _X), _simple("answer", "text")),
    (_p(r"(?:click|tap|press|push|hit|select|choose|pick)" + _ON + _X), _click("click")),
    # Chinese
    (_p(r"(?:打开|访问|前往|进入)\s*(?:网址|网站|页面)?\s*" + _X), _open_or_click),
    (_p(r"双击\s*" + _X), _click("double_click")),
    (_p(r"(?:右键(?:单击|点击)?|右击)\s*" + _X), _click("right_click")),
    (_p(r"(?:悬停在|移到|把鼠标移到)\s*" + _X + r"(?:上)?"), _click("hover")),
    (_p(r"按(?:下)?\s*(?P<k>.+?)"), _press),
    # Greedy target: "在用户名输入框中输入…" types at the last 输入, not inside "输入框".
    (_p(r"(?:在|往|向)\s*(?P<x>.+)(?:输入|填写|填入|键入)\s*" + _T), _type_into),
    (_p(r"(?:输入|填写|填入|键入)\s*" + _T + r"\s*(?:到|至|进)\s*" + _X + r"\s*(?:中|里|内)?"), _type_into),
    (_p(r"(?:输入|填写|键入)\s*" + _T), _type_into),
    (_p(r"(?:清空|清除)\s*" + _X), _simple("clear")),
    (
        _p(
            r"(?:在\s*"
            + _X
            + r"\s*(?:中|里|内)\s*)?(?:向|往)(?P<d>上|下|左|右)滚动(?:\s*(?P<n>\d+)\s*(?:次|下))?"
        ),
        _scroll,
    ),
    (_p(r"滚动到(?P<d>底部|顶部|最下面|最上面)"), _scroll),
    (_p(r"(?:从|在)\s*" + _X + r"\s*(?:中|里)?\s*选择\s*" + _T), _select),
    (_p(r"取消(?:勾选|选中)\s*" + _X), _simple("uncheck")),
    (_p(r"(?:勾选|选中)\s*" + _X), _simple("check")),
    (_p(r"(?:等待|等到)(?:直到)?\s*" + _X + r"\s*(?:出现|显示)"), _wait),
    (_p(r"等待\s*" + _X), _wait),
    (_p(r"(?:回答|答复)\s*" + _X), _simple("answer", "text")),
    (_p(r"(?:点击|单击|点按|点|轻触|选择)\s*" + _X), _click("click")),
]
