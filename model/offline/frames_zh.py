"""Chinese frames: one clause to candidate parses.

Chinese puts places and objects before the verb as often as after it: "在用户名中输入alice",
"把alice输入到用户名", "用户名输入alice", "从颜色列表中选择蓝色", "把滑块设为5". The
prefix frames (在/往/把/将/从/用/对于) are tried first, then the verb-first frames, which
share the English slot readers where the words allow.
"""

from __future__ import annotations

import re

from screenpilot.model.offline import frames_en_slots as slots
from screenpilot.model.offline.frames import Ctx, Parse, items, value_step
from screenpilot.model.offline.hints import ZH_DIGITS, parse_target
from screenpilot.model.offline.lexicon import ZH_TAIL, zh_verb
from screenpilot.model.offline.steps import Step
from screenpilot.model.offline.values import parse_value, take_transform

_TYPE = r"(?:输入|填写|填入|键入|写入|写上|填上|写|填)"
_IN = r"(?:中|里|内|里面|上|处)?"
_NO_PREFIX = r"(?!在|往|向|于|把|将|从|用|使用|通过|给|输入|填|键入|请)"
_V = r"(?P<v>\x00\d+\x00|\{\{?[^}]+\}\}?|[^\s，,。]+?)"
_SCOPE = re.compile(
    r"^(?:对于|针对|在)\s*(?:用户|帖子|邮件|行)?\s*(?P<s>[^，,]+?)\s*(?:的(?:帖子|邮件|行|记录|卡片)(?:中|里|上)?)?\s*[，,]\s*"
)
_FRAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:把|将)?鼠标\s*(?:移到|移动到|悬停在|放到|放在|指向)\s*(?P<x>.+?)上?$"), "hover"),
    # greedy: "在用户名输入框中输入…" types at the last 输入, not inside "输入框"
    (re.compile(rf"^(?:在|往|向|于)\s*(?P<x>.+)(?<![填写输键]){_IN}\s*{_TYPE}\s*{_V}$"), "type"),
    (re.compile(rf"^(?:把|将)\s*{_V}\s*{_TYPE}(?:到|至|进|入)?\s*(?P<x>.+?){_IN}$"), "type"),
    (re.compile(rf"^{_TYPE}\s*{_V}\s*(?:到|至|进|于)\s*(?P<x>.+?){_IN}$"), "type"),
    (
        re.compile(
            rf"^(?:把|将)\s*(?P<x>.+?)\s*(?:设置为|设为|设置成|设成|改为|改成|调到|调整到|调为|设定为)\s*{_V}$"
        ),
        "set",
    ),
    (re.compile(rf"^(?:设置|设定|调整)\s*(?P<x>.+?)\s*(?:为|成|到)\s*{_V}$"), "set"),
    (re.compile(rf"^(?:用|使用|通过)\s*(?P<x>.+?)\s*(?:选择|选取|设置|设定|选)\s*{_V}$"), "set"),
    (re.compile(rf"^(?:从|在)\s*(?P<x>.+?){_IN}\s*(?:选择|选取|挑选|选中|选)\s*(?P<v>.+)$"), "select"),
    (re.compile(r"^(?:把|将)\s*(?P<x>.+?)\s*(?:拖动|拖拽|拖|移动|移)\s*(?:到|至|进)\s*(?P<v>.+)$"), "drag"),
    (re.compile(r"^(?:拖动|拖拽|拖)\s*(?P<x>.+?)\s*(?:到|至|进)\s*(?P<v>.+)$"), "drag"),
    (re.compile(r"^(?:复制|拷贝)\s*(?P<x>.+?)(?:中|里|内)的?(?:文字|文本|内容)$"), "copy"),
    (re.compile(r"^(?:高亮|选中|选择)\s*(?P<x>.+?)(?:中|里|内)的?(?:文字|文本|内容)$"), "highlight"),
    (re.compile(rf"^(?:把|将)?\s*(?:它|其|内容|文本|文字)?\s*粘贴(?:到|至|进)\s*(?P<x>.+?){_IN}$"), "paste"),
    (
        re.compile(
            r"^(?:用|使用|以)\s*(?:用户名|账号|帐号)\s*(?P<x>\S+?)\s*(?:和|与|及|，|,)\s*密码\s*(?P<v>\S+?)\s*(?:登录|登入|登陆)$"
        ),
        "login",
    ),
    (
        re.compile(
            rf"^(?:把|将)\s*(?:来自|由)?\s*(?P<x>.+?)\s*(?:发来|发送|发)?的\s*(?:邮件|消息|帖子)\s*转发(?:给|至|到)\s*{_V}$"
        ),
        "forward",
    ),
    (re.compile(rf"^(?P<x>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z\s]{{0,9}}?)\s*{_TYPE}\s*{_V}$"), "type"),
    (
        re.compile(rf"^(?P<x>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z\s]{{0,9}}?)\s*(?:为|是)\s*{_V}$"),
        "type",
    ),
]


def parse_clause(clause: str, ctx: Ctx) -> list[Parse]:
    """Candidate parses of one Chinese clause (empty when no frame fits)."""
    text = ZH_TAIL.sub("", clause.strip(" ，,。")).strip()
    scope = _SCOPE.match(text)
    if scope and zh_verb(text[scope.end() :]):
        ctx.scope = ctx.literal(scope.group("s"))
        text = text[scope.end() :]
    text, transform = take_transform(text)
    if re.fullmatch(r"(?:什么都不选|都不选|一个都不选|不选任何(?:项|选项|东西)?)", text):
        return [Parse((), 0.95, "zh select nothing")]
    out: list[Parse] = []
    for pattern, kind in _FRAMES:
        m = pattern.match(text)
        if m:
            out += _build(kind, m, ctx, transform)
    hit = zh_verb(text)
    if hit is not None:
        verb, _, rest = hit
        out += _verb_first(verb, rest, ctx)
    return out


def _build(kind: str, m: re.Match[str], ctx: Ctx, transform: object) -> list[Parse]:
    x = m.group("x").strip()
    v = m.groupdict().get("v")
    if kind in ("type", "set"):
        value = parse_value(v or "", ctx.masked)
        if value is None:
            return []
        target = ctx.target(x)
        every = bool(re.match(r"^(?:两个|所有|每个|全部)", target))
        target = re.sub(r"^(?:两个|所有的?|每个|全部的?)", "", target)
        spec_role = parse_target(target).role
        step_kind = (
            "set"
            if kind == "set" or spec_role in ("date", "time", "slider", "spinbutton", "color")
            else "type"
        )
        step = value_step(step_kind, value, target=target, every=every, transform=transform)
        return [Parse((step,), 0.93 * value.quality, f"zh {kind}")]
    if kind == "select":
        parts = items(v or "")
        steps = tuple(
            Step(kind="select", text=ctx.literal(p), target=ctx.target(x), every=len(parts) > 1)
            for p in parts
        )
        return [Parse(steps, 0.93, "zh select from")]
    if kind == "drag":
        dest = ctx.literal(v or "")
        pos = re.fullmatch(r"第\s*(\d+)\s*(?:个)?(?:位置|位)", dest)
        step = Step(kind="drag", target=ctx.target(x), dest=pos.group(1) if pos else ctx.target(v or ""))
        return [Parse((step,), 0.92, "zh drag")]
    if kind == "forward":
        to = parse_value(v or "", ctx.masked)
        if to is None:
            return []
        steps = (
            Step(kind="click", target="转发", scope=ctx.literal(x)),
            value_step("type", to, target="收件人"),
            Step(kind="click", target="发送"),
        )
        return [Parse(steps, 0.93 * to.quality, "zh forward the item from S to N")]
    if kind == "login":
        user, pw = parse_value(x, ctx.masked), parse_value(v or "", ctx.masked)
        if user is None or pw is None:
            return []
        steps = (
            value_step("type", user, target="用户名"),
            value_step("type", pw, target="密码"),
            Step(kind="click", target="登录按钮"),
        )
        return [Parse(steps, 0.93, "zh login")]
    return [Parse((Step(kind=kind, target=ctx.target(x)),), 0.92, f"zh {kind}")]


def _verb_first(verb: str, rest: str, ctx: Ctx) -> list[Parse]:
    rest = rest.strip()
    if verb in ("click", "double_click", "right_click", "hover"):
        rest = re.sub(r"(?:上|一下)$", "", rest)
        every = re.match(
            r"^(?:所有|全部|每个)(?P<s>.+?)的(?:帖子|邮件|行|记录)(?:上|中|里)?的?(?P<t>.+)$", rest
        )
        if every:
            step = Step(
                kind=verb,
                target=ctx.target(every.group("t")),
                every=True,
                scope=ctx.literal(every.group("s")),
            )
            return [Parse((step,), 0.93, "zh click on all posts")]
        return [Parse((Step(kind=verb, target=ctx.target(rest)),), 0.88, "zh click")] if rest else []
    if verb == "press":
        keys = slots.keys_of(ctx.literal(rest))
        if keys:
            return [Parse((Step(kind="press", keys=keys),), 0.93, "zh press")]
        return (
            [Parse((Step(kind="click", target=ctx.target(rest)),), 0.85, "zh press button")] if rest else []
        )
    if verb == "type":
        value = parse_value(rest, ctx.masked)
        if value is None:
            return []
        return [
            Parse((value_step("type", value, target=ctx.default_target),), 0.8 * value.quality, "zh type V")
        ]
    if verb == "choose":
        if re.fullmatch(r"(?:无|不选|什么都不选|任何都不选)", rest):
            return [Parse((), 0.95, "zh select nothing")]
        path = re.split(r"\s*(?:>|→|->|›|»)\s*", ctx.literal(rest))
        if len(path) > 1 and all(path):
            hovers = tuple(Step(kind="hover", target=f'"{p}"') for p in path[:-1])
            return [Parse((*hovers, Step(kind="click", target=f'"{path[-1]}"')), 0.95, "zh select A>B>C")]
        parts = items(rest)
        return (
            [Parse(tuple(Step(kind="choose", target=ctx.target(p)) for p in parts), 0.85, "zh choose")]
            if parts
            else []
        )
    if verb in ("check", "uncheck"):
        parts = items(rest)
        return (
            [Parse(tuple(Step(kind=verb, target=ctx.target(p)) for p in parts), 0.9, f"zh {verb}")]
            if parts
            else []
        )
    if verb in ("focus", "expand", "collapse", "close", "clear"):
        rest = re.sub(r"^(?:到|在|于)", "", rest)
        return [Parse((Step(kind=verb, target=ctx.target(rest) if rest else None),), 0.9, f"zh {verb}")]
    return _zh_other(verb, rest, ctx)


def _zh_other(verb: str, rest: str, ctx: Ctx) -> list[Parse]:
    if verb == "switch":
        if rest.startswith(("各个", "不同")) or "之间" in rest:
            ctx.explore = True
            return [Parse((), 0.85, "zh switch between")]
        target = re.sub(r"^到", "", rest)
        return [Parse((Step(kind="click", target=ctx.target(target)),), 0.9, "zh switch to")] if rest else []
    if verb == "open":
        return slots.open_(rest, ctx, "open")
    if verb == "scroll":
        return _zh_scroll(rest, ctx)
    if verb == "submit":
        return [Parse((Step(kind="submit"),), 0.95, "zh submit")]
    if verb == "find":
        if not rest:
            ctx.explore = True
            return [Parse((), 0.9, "zh find: explore")]
        return [Parse((Step(kind="find", target=ctx.target(rest), explore=True),), 0.85, "zh find")]
    return _zh_rest(verb, rest, ctx)


def _zh_rest(verb: str, rest: str, ctx: Ctx) -> list[Parse]:
    if verb == "search":
        value = parse_value(rest, ctx.masked)
        if value is None:
            return []
        where = ctx.default_target or "搜索框"
        steps = (value_step("type", value, target=where), Step(kind="press", keys=("enter",)))
        return [Parse(steps, 0.85, "zh search")]
    if verb == "wait":
        return slots.wait(re.sub(r"(?:出现|显示)$", "", rest), ctx)
    if verb == "answer":
        return slots.answer(rest, ctx, "answer")
    if verb == "login":
        return [Parse((Step(kind="click", target="登录按钮"),), 0.8, "zh login")]
    return []


def _zh_scroll(rest: str, ctx: Ctx) -> list[Parse]:
    m = re.match(r"^(?:到)?(?P<d>底部|顶部|最下面|最上面|最底部|最顶部)$", rest)
    if m:
        d = "down" if "下" in m.group("d") or "底" in m.group("d") else "up"
        return [Parse((Step(kind="scroll", direction=d, amount=50.0),), 0.92, "zh scroll to end")]
    return []


_ZH_SCROLL_FULL = re.compile(
    r"^(?:在\s*(?P<x>.+?)(?:中|里|内)\s*)?(?:向|往)(?P<d>上|下|左|右)(?:滚动|滑动)(?:\s*(?P<n>\d+|[一二两三四五六七八九十])\s*(?:次|下|格))?$"
)


def _zh_count(n: str | None) -> float | None:
    """ "3" or "三" (两次: twice) as a number."""
    if not n:
        return None
    return float(n) if n.isdigit() else float(ZH_DIGITS[n])


def zh_scroll_prefix(clause: str, ctx: Ctx) -> list[Parse]:
    """ "向下滚动", "在侧边栏中向上滚动3次": the direction comes before the verb."""
    m = _ZH_SCROLL_FULL.match(clause.strip())
    if not m:
        return []
    d = {"上": "up", "下": "down", "左": "left", "右": "right"}[m.group("d")]
    x = m.group("x")
    step = Step(
        kind="scroll",
        direction=d,
        amount=_zh_count(m.group("n")),
        target=ctx.target(x) if x else None,
    )
    return [Parse((step,), 0.93, "zh scroll")]
