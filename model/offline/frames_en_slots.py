"""The English frames of each verb class, over the words after the verb.

Every function takes the rest of the clause (literals masked), the context and returns
candidate parses; an empty list means the words fit no frame of that verb.
"""

from __future__ import annotations

import re

from screenpilot.model.offline.frames import Ctx, Parse, items, replace_step, value_step
from screenpilot.model.offline.frames_en_values import PRONOUN_TARGET, fill, login, set_, type_
from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.lexicon import KEY_WORDS
from screenpilot.model.offline.segment import TOKEN_RE
from screenpilot.model.offline.steps import Step
from screenpilot.model.offline.values import parse_value
from screenpilot.tools.keys import UnknownKeyError, normalize_key

_URL_RE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S+|about:\S+|www\.\S+|localhost(?::\d+)?(?:/\S*)?|"
    r"[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?)$",
    re.I,
)
_SECONDS_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds|秒|秒钟)$", re.I)
_QUANT_SCOPE = re.compile(
    r"^(?P<t>.+?)\s+(?:on|in|of|for|from|under)\s+(?:(?P<all>all|every|each|both)|(?P<n>\d+|one|two|three|four|five))"
    r"\s+(?:of\s+(?:the\s+)?)?(?:\w+?)\s+(?:by|from|of|for)\s+(?:the\s+user\s+|user\s+)?(?P<s>.+)$",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    r"^(?P<t>.+?)\s+(?:on|in|of|for|from|under|next to)\s+(?:the\s+)?"
    r"(?:user|post|row|email|message|item|entry|card|record|comment|tweet|contact|product)s?\s+"
    r"(?:by\s+|from\s+|of\s+|for\s+|named\s+|called\s+)?(?P<s>\S.*)$",
    re.IGNORECASE,
)
_EVERY = re.compile(r"^(?:all|every|each|both)\s+(?:of\s+)?(?P<t>(?:the\s+)?.+)$", re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_MULTIPLES = {"once": 1, "twice": 2, "thrice": 3}
_TIMES = re.compile(r"\b(?:(once|twice|thrice)|(one|two|three|four|five)\s+times)\s*$", re.IGNORECASE)
"""A count in words at the end of a scroll ("twice", "three times")."""
_PREPS_INTO = ("into", "in", "inside", "to", "onto", "on", "in to")
_TEXT_OF = re.compile(
    r"^(?:all\s+(?:of\s+)?)?(?:the\s+)?(?:text|content|contents|words?)\s+(?:in|of|from|inside|within)\s+(.+)$",
    re.I,
)
_ZH_KEYS = {
    "回车": "enter",
    "回车键": "enter",
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
}


def keys_of(text: str) -> tuple[str, ...] | None:
    """Canonical keys of a key phrase ("Enter", "ctrl+a", "the Tab key", "回车"), or ``None``."""
    spec = text.strip()
    if not KEY_WORDS.match(spec) and spec not in _ZH_KEYS and not re.fullmatch(r"\w+\s*键", spec):
        return None
    spec = re.sub(r"\s*(?:keys?|button|键|按键)$", "", spec, flags=re.I)
    spec = _ZH_KEYS.get(spec, spec)
    spec = re.sub(r"^(?:the\s+)", "", spec, flags=re.I)
    parts = [p for p in re.split(r"\s*[+＋]\s*|\s*-\s*(?=\w)|\s+", spec) if p]
    if not parts or len(parts) > 6:
        return None
    try:
        return tuple(normalize_key(p) for p in parts)
    except UnknownKeyError:
        return None


def _target_or_it(text: str, ctx: Ctx) -> str:
    if PRONOUN_TARGET.match(text.strip()):
        return "$it"
    return ctx.target(text)


def click(rest: str, ctx: Ctx, kind: str) -> list[Parse]:
    """click / double-click / right-click / hover X, with quantifiers and record scopes."""
    rest = re.sub(r"^(?:on|at|over)\s+", "", rest.strip(), flags=re.I)
    if not rest:
        return []
    out: list[Parse] = []
    q = _QUANT_SCOPE.match(rest)
    if q:
        n = q.group("n")
        count = None if q.group("all") else int(_NUMBERS.get(n.lower(), 0) or n)
        step = Step(
            kind=kind,
            target=ctx.target(q.group("t")),
            every=True,
            count=count,
            scope=ctx.literal(q.group("s")),
        )
        out.append(Parse((step,), 0.95, "click on all X by S"))
    s = _SCOPE.match(rest)
    if s and not q:
        step = Step(kind=kind, target=ctx.target(s.group("t")), scope=ctx.literal(s.group("s")))
        out.append(Parse((step,), 0.85, "click X of record S"))
    e = _EVERY.match(rest)
    if e and not q:
        out.append(
            Parse((Step(kind=kind, target=ctx.target(e.group("t")), every=True),), 0.9, "click every X")
        )
    out.append(Parse((Step(kind=kind, target=_target_or_it(rest, ctx)),), 0.85, "click X"))
    parts = items(rest)
    if len(parts) > 1 and all(len(p.split()) <= 4 for p in parts):
        steps = tuple(Step(kind=kind, target=ctx.target(p)) for p in parts)
        out.append(Parse(steps, 0.8, "click A and B"))
    return out


def single(rest: str, ctx: Ctx, kind: str) -> list[Parse]:
    """A verb with one target: clear, focus, expand, collapse, close."""
    rest = re.sub(r"^(?:into|in|on|onto|to)\s+", "", rest.strip(), flags=re.I)
    if kind == "clear":
        rest = re.sub(r"^(?:the\s+)?(?:text|contents?|value)\s+(?:of|in|from)\s+", "", rest, flags=re.I)
    if not rest:
        return [Parse((Step(kind=kind),), 0.6, kind)] if kind == "close" else []
    e = _EVERY.match(rest)
    if e:
        return [
            Parse((Step(kind=kind, target=ctx.target(e.group("t")), every=True),), 0.9, f"{kind} every X")
        ]
    return [Parse((Step(kind=kind, target=_target_or_it(rest, ctx)),), 0.9, f"{kind} X")]


def check(rest: str, ctx: Ctx, kind: str) -> list[Parse]:
    """check / uncheck X (each of A, B and C); a "box" one ticks is a checkbox."""
    # quoted words are masked here, so only the description's own noun is rewritten
    rest = re.sub(r"(?<!text )\bbox(es)?\b", r"checkbox\1", rest, flags=re.I)
    e = _EVERY.match(rest)
    if e:
        return [
            Parse((Step(kind=kind, target=ctx.target(e.group("t")), every=True),), 0.9, f"{kind} every X")
        ]
    parts = items(rest)
    out = [Parse((Step(kind=kind, target=_target_or_it(rest, ctx)),), 0.85, f"{kind} X")]
    if len(parts) > 1:
        out.append(Parse(tuple(Step(kind=kind, target=ctx.target(p)) for p in parts), 0.8, f"{kind} A, B"))
    return out


def choose(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """select / choose / pick: options from a list, values with a control, items by name."""
    rest = rest.strip()
    if re.fullmatch(
        r"(?:nothing|none|no (?:items?|options?|boxes|checkboxes)|none of them)", rest, flags=re.I
    ):
        return [Parse((), 0.95, "select nothing")]
    text_of = _TEXT_OF.match(rest)
    if text_of:
        return [
            Parse((Step(kind="highlight", target=ctx.target(text_of.group(1))),), 0.9, "select the text in X")
        ]
    out: list[Parse] = []
    path = re.split(r"\s*(?:>|→|->|›|»)\s*", ctx.literal(rest))
    if len(path) > 1 and all(path):
        hovers = [Step(kind="hover", target=f'"{p}"') for p in path[:-1]]
        out.append(Parse((*hovers, Step(kind="click", target=f'"{path[-1]}"')), 0.95, "select A>B>C"))
    placed = False
    for m in re.finditer(r"\s+(from|in|on|with|using|as|via|by)\s+", rest, flags=re.I):
        head, dest, prep = rest[: m.start()], rest[m.end() :].strip(), m.group(1).lower()
        if not dest:
            continue
        found = _chosen_from(head, dest, prep, ctx)
        placed = placed or bool(found)
        out += found
    e = _EVERY.match(rest)
    if e:
        every = ctx.target(e.group("t"))
        if parse_target(every).role == "checkbox" and not parse_target(every).text:
            # "select all the checkboxes": every box of the kind, ticked
            out.append(Parse((Step(kind="check", target=every, every=True),), 0.9, "select every checkbox"))
        out.append(Parse((Step(kind="choose", target=every, every=True),), 0.8, "select all X"))
    spec = parse_target(ctx.target(rest))
    if spec.role is not None and (spec.ordinal is not None or spec.text) and not placed:
        out.append(Parse((Step(kind="choose", target=ctx.target(rest)),), 0.88, "select the X"))
    parts = items(rest)
    steps = tuple(Step(kind="choose", target=ctx.target(p)) for p in parts)
    out.append(Parse(steps, 0.85 if len(parts) > 1 else 0.8, "select A, B and C"))
    return out


def _chosen_from(head: str, dest: str, prep: str, ctx: Ctx) -> list[Parse]:
    spec = parse_target(ctx.target(dest))
    value = parse_value(head, ctx.masked)
    control = spec.role in ("slider", "spinbutton", "date", "time", "color", "textbox")
    if prep in ("with", "using", "via", "by", "as") and value is not None:
        prior = 0.95 if control or prep in ("with", "using") else 0.7
        return [
            Parse(
                (value_step("set", value, target=ctx.target(dest)),),
                prior * value.quality,
                f"select V {prep} X",
            )
        ]
    if prep in ("from", "in", "on"):
        prior = 0.95 if spec.role in ("combobox", "listbox", "menu") or spec.noun else 0.7
        out = []
        # "A, B and C" is three options, but "Heard Island and McDonald Islands" is one: both
        # readings go to the screen, which has the options to tell them apart
        for parts, weight in ((items(head), 1.0), (_comma_items(head), 0.97)):
            many = len(parts) > 1
            steps = tuple(
                Step(kind="select", text=ctx.literal(p), target=ctx.target(dest), every=many) for p in parts
            )
            out.append(Parse(steps, prior * weight, f"select O {prep} X"))
        return out
    return []


def _comma_items(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[,，、]\s*", text.strip()) if p.strip()]


def switch(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """switch to X (a tab); "switch between the tabs" only asks to look around."""
    if surface.lower().startswith("switch between") or re.match(r"^between\b", rest, flags=re.I):
        ctx.explore = True
        return [Parse((), 0.85, "switch between: explore")]
    rest = re.sub(r"^to\s+", "", rest.strip(), flags=re.I)
    return [Parse((Step(kind="click", target=ctx.target(rest)),), 0.9, "switch to X")] if rest else []


def open_(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """open a URL; open / go to a tab, page, section, menu or dialog (a click)."""
    rest = re.sub(r"^(?:the\s+)?(?:url|page|website|site|address)\s+(?=\S+$)", "", rest.strip(), flags=re.I)
    arg = ctx.literal(rest)
    if _URL_RE.match(arg):
        url = arg if "://" in arg or arg.startswith("about:") else f"https://{arg}"
        return [Parse((Step(kind="open", text=url),), 0.95, "open URL")]
    if not rest:
        return []
    spec = parse_target(ctx.target(rest))
    kind = "expand" if spec.role == "section" else "click"
    return [Parse((Step(kind=kind, target=ctx.target(rest)),), 0.85, "open X")]


def scroll(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """scroll up/down/to the top/bottom [in X] [N times]; scroll X to the bottom."""
    text = rest.strip()
    counted = None
    times = _TIMES.search(text)
    if times:
        word = (times.group(1) or times.group(2)).lower()
        counted = float(_MULTIPLES.get(word) or _NUMBERS[word])
        text = text[: times.start()].strip()
    m = re.search(
        r"\b(?:(?:all the way|right)\s+)?(?:to\s+the\s+)?(?:very\s+)?"
        r"(up|down|left|right|bottom|top|end|start|beginning)\b",
        text,
        flags=re.I,
    )
    if not m:
        return []
    word = m.group(1).lower()
    amount = None
    n = re.search(r"\b(\d+)\s*(?:times|notches|clicks|steps|pages)?\b", text[m.end() :])
    if n:
        amount = float(n.group(1))
    if counted is not None:
        amount = counted
    direction = {"bottom": "down", "end": "down", "top": "up", "start": "up", "beginning": "up"}.get(
        word, word
    )
    if word in ("bottom", "end", "top", "start", "beginning"):
        amount = 50.0
    before = text[: m.start()].strip()
    after = re.sub(
        r"^(?:\s*\d+\s*\w*)?\s*(?:of|in|inside|within|on)\s+", "", text[m.end() :].strip(), flags=re.I
    )
    after = re.sub(r"^(?:the\s+)?(?:text|page|list)\s+(?:in|of)\s+", "", after, flags=re.I)
    where = re.sub(r"^(?:in|inside|within|on)\s+", "", before, flags=re.I) or after
    where = re.sub(r"^(?:\d+\s*\w*)$", "", where)
    if re.fullmatch(r"(?:the\s+)?(?:page|screen|window|text|document)?", where, flags=re.I):
        where = ""
    step = Step(
        kind="scroll", direction=direction, amount=amount, target=ctx.target(where) if where else None
    )
    return [Parse((step,), 0.92, "scroll")]


def drag(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """drag X onto Y; drag X up/down/left/right [by N]; drag X to the Nth position."""
    out: list[Parse] = []
    pos = re.match(
        r"^(.+?)\s+to\s+(?:the\s+)?(\d+)(?:st|nd|rd|th)\s+(?:position|place|spot|slot)$", rest, flags=re.I
    )
    if pos:
        out.append(
            Parse(
                (Step(kind="drag", target=ctx.target(pos.group(1)), dest=pos.group(2)),),
                0.95,
                "drag X to Nth",
            )
        )
    way = re.match(
        r"^(.+?)\s+(up|down|left|right)(?:wards?)?(?:\s+by\s+(\d+|one|two|three))?(?:\s+\w+)?$",
        rest,
        flags=re.I,
    )
    if way:
        amount = way.group(3)
        n = float(_NUMBERS.get((amount or "").lower(), 0) or amount) if amount else None
        step = Step(kind="drag", target=ctx.target(way.group(1)), direction=way.group(2).lower(), amount=n)
        out.append(Parse((step,), 0.9, "drag X up"))
    onto = re.match(r"^(.+?)\s+(?:onto|into|on to|in to|over|on|to|inside|in)\s+(.+)$", rest, flags=re.I)
    if onto and not pos:
        out.append(
            Parse(
                (Step(kind="drag", target=ctx.target(onto.group(1)), dest=ctx.target(onto.group(2))),),
                0.9,
                "drag X onto Y",
            )
        )
    return out


def text_target(rest: str, ctx: Ctx, kind: str) -> list[Parse]:
    """highlight / copy the text in X (or X itself)."""
    m = _TEXT_OF.match(rest.strip())
    target = m.group(1) if m else rest.strip()
    if not target:
        return []
    if re.fullmatch(r"(?:it|that|this|the text|everything|all)", target, flags=re.I):
        return [Parse((Step(kind=kind, target="$it"),), 0.7, f"{kind} it")]
    return [Parse((Step(kind=kind, target=ctx.target(target)),), 0.9, f"{kind} X")]


def paste(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """paste [it | the text] into X."""
    m = re.match(
        r"^(?:(?:it|that|this|the text|them|the copied text|the value)\s+)?"
        r"(?:into|in|to|inside|onto)\s+(.+)$",
        rest.strip(),
        flags=re.I,
    )
    if m:
        return [Parse((Step(kind="paste", target=ctx.target(m.group(1))),), 0.93, "paste into X")]
    if re.fullmatch(r"(?:it|that|this|the text)?", rest.strip(), flags=re.I):
        return [Parse((Step(kind="paste"),), 0.8, "paste")]
    return []


def find(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """find X: a value to read ("the 2nd word in the paragraph"), a record scoping what follows, a target."""
    rest = rest.strip()
    if not rest or surface.lower() in ("navigate through", "browse"):
        ctx.explore = True  # "Navigate through the file tree": look around for what follows
        return [Parse((), 0.9, "find: explore")]
    value = parse_value(rest, ctx.masked)
    if value is not None and value.ref is not None and value.ref != "$it":
        return [Parse((Step(kind="find", value_ref=value.ref),), 0.95, "find a value")]
    record = re.match(
        r"^(?:the\s+|a\s+)?(?:\w+\s+){0,2}?(?:by|from|of|for|named|called|about)\s+(.+)$", rest, flags=re.I
    )
    out = []
    if record:
        ctx.scope = ctx.literal(record.group(1))
        out.append(
            Parse(
                (Step(kind="find", target=ctx.target(record.group(1)), explore=True),),
                0.9,
                "find the record by S",
            )
        )
    who = re.match(r"^(.+?)(?:'s|’s)\s+(\w+)$", ctx.literal(rest))
    if who:
        ctx.scope = who.group(1)
        out.append(
            Parse((Step(kind="find", target=f'"{who.group(1)}"', explore=True),), 0.85, "find S's record")
        )
    out.append(Parse((Step(kind="find", target=ctx.target(rest), explore=True),), 0.8, "find X"))
    return out


def search(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """search [for] V [in X]: type into the search box, then press Enter."""
    rest = re.sub(r"^for\s+", "", rest.strip(), flags=re.I)
    m = re.match(r"^(.+?)\s+(?:in|on|using|with)\s+(?:the\s+)?(.+)$", rest, flags=re.I)
    head, where = (
        (m.group(1), ctx.target(m.group(2))) if m else (rest, ctx.default_target or "the search box")
    )
    value = parse_value(head, ctx.masked)
    if value is None:
        return []
    steps = (value_step("type", value, target=where), Step(kind="press", keys=("enter",)))
    return [Parse(steps, 0.85 * value.quality, "search V")]


def wait(rest: str, ctx: Ctx) -> list[Parse]:
    """wait N seconds; wait until / for "T" appears."""
    m = re.match(
        r"^(?:for\s+|until\s+|till\s+)?(.+?)"
        r"(?:\s+(?:appears|is shown|shows up|is visible|to appear|has appeared))?$",
        rest.strip(),
        flags=re.I,
    )
    if not m:
        return [Parse((Step(kind="wait", amount=1.0),), 0.7, "wait")]
    arg = ctx.literal(m.group(1))
    secs = _SECONDS_RE.match(arg)
    if secs:
        return [Parse((Step(kind="wait", amount=float(secs.group(1))),), 0.95, "wait N s")]
    if re.fullmatch(r"(?:a (?:moment|second|bit|while)|briefly)", arg, flags=re.I):
        return [Parse((Step(kind="wait", amount=1.0),), 0.9, "wait a moment")]
    return [Parse((Step(kind="wait_text", text=arg),), 0.85, "wait until T")] if arg else []


def answer(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """answer / report / say T."""
    rest = re.sub(r"^(?:with|that)\s+", "", rest.strip(), flags=re.I)
    text = ctx.literal(rest)
    return [Parse((Step(kind="answer", text=text),), 0.9, "answer T")] if text else []


__all__ = ["TOKEN_RE", "click", "fill", "keys_of", "login", "replace_step", "set_", "type_"]


_ITEM = r"(?:the|that|this|an?)\s+(?:e-?mail|message|post|item|file|note)"
_FROM_TO = (
    re.compile(rf"^{_ITEM}\s+(?:from|by|of)\s+(?P<s>.+?)\s+to\s+(?P<n>.+)$", re.IGNORECASE),
    re.compile(rf"^to\s+(?P<n>.+?)\s+{_ITEM}\s+(?:from|by|of)\s+(?P<s>.+)$", re.IGNORECASE),
)


def _sent_from_to(rest: str, ctx: Ctx, verb: str) -> list[Parse]:
    """ "forward the email from S to N", "forward to N the email from S": the record of S,
    its own button, then N in the To field and Send."""
    for pattern in _FROM_TO:
        m = pattern.match(rest)
        value = parse_value(m.group("n"), ctx.masked) if m else None
        if m and value is not None:
            steps = (
                Step(kind="click", target=verb, scope=ctx.literal(m.group("s"))),
                value_step("type", value, target="the to field"),
                Step(kind="click", target="send"),
            )
            return [Parse(steps, 0.92 * value.quality, f"{verb} the item from S to N")]
    return []


def act(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """A verb that names its own control: forward / reply / delete / share X [to N] [with T]."""
    verb = re.sub(r"\s+(?:to|on)$", "", surface.strip().lower())
    rest = rest.strip()
    button = Step(kind="click", target=verb)
    send = Step(kind="click", target="send")
    sent = _sent_from_to(rest, ctx, verb)
    if sent:
        return sent
    with_text = re.match(
        r"^(?:to\s+)?(?:\S+\s+){0,3}?(?:with|saying|:)\s+"
        r"(?:the\s+(?:text|message|reply|words?)\s+)?(.+)$",
        rest,
        flags=re.I,
    )
    if with_text:
        value = parse_value(with_text.group(1), ctx.masked)
        if value is not None:
            steps = (button, value_step("type", value, target="the message box"), send)
            return [Parse(steps, 0.9 * value.quality, f"{verb} with T")]
    to_whom = re.match(
        r"^(?:(?:it|that|this|them)(?:\s+(?:email|message|post))?|(?:the|that|this)\s+(?:email|message|post))\s+to\s+(.+)$",
        rest,
        flags=re.I,
    )
    if to_whom:
        value = parse_value(to_whom.group(1), ctx.masked)
        if value is not None:
            steps = (button, value_step("type", value, target="the to field"), send)
            return [Parse(steps, 0.9 * value.quality, f"{verb} it to N")]
    if re.fullmatch(r"(?:it|them|that|this|the (?:email|message|post|item|file))?", rest, flags=re.I):
        return [Parse((button,), 0.85, f"{verb} it")]
    every = re.match(
        r"^(?:all|every|each)\s+(?:of\s+)?(?:the\s+)?\w+\s+(?:from|by|of)\s+(.+)$", rest, flags=re.I
    )
    if every:
        step = Step(kind="click", target=verb, every=True, scope=ctx.literal(every.group(1)))
        return [Parse((step,), 0.85, f"{verb} all X from S")]
    whose = re.match(r"^(.+?)(?:'s|’s)\s+\w+$", ctx.literal(rest))
    by = re.match(r"^(?:the\s+)?\w+\s+(?:from|by|of)\s+(.+)$", rest, flags=re.I)
    scope = whose.group(1) if whose else ctx.literal(by.group(1)) if by else None
    if scope:
        return [Parse((Step(kind="click", target=verb, scope=scope),), 0.8, f"{verb} S's X")]
    return [Parse((Step(kind="click", target=ctx.target(rest)), button), 0.5, f"{verb} X")]
