"""English frames: one clause (verb first, literals masked) to candidate parses.

The clause's adjuncts are taken off first: a scene-setting prefix ("For the user @x, …"
sets the record scope, "Using the editor, …" is dropped), a means ("… by clicking the x"
replaces the clause's own action with the means), a purpose ("… to delete it" is
dropped; "… to find" makes the following clauses look around), "when done". Then the
verb's frames read the slots.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from screenpilot.model.offline import frames_en_slots as slots
from screenpilot.model.offline.frames import Ctx, Parse
from screenpilot.model.offline.lexicon import EN_TAIL, en_verb
from screenpilot.model.offline.steps import Step

_SCENE_SCOPE = re.compile(
    r"^(?:for|regarding|about|on)\s+(?:the\s+)?(?:user|account|person|customer|contact|member|author|item|row|"
    r"post|email|message|entry|record|product|card)?\s*(?:(?:by|from|of|named|called)\s+)?(\S.*?)\s*,\s*",
    re.IGNORECASE,
)
_SCENE_IN = re.compile(r"^(?:in|inside|within|on)\s+(?:the\s+)?(.+?)\s*,\s*(?=\w)", re.IGNORECASE)
_SCENE_USING = re.compile(r"^(?:using|with|via|through)\s+(?:the\s+)?(.+?)\s*,\s*(?=\w)", re.IGNORECASE)
_USE_TO = re.compile(r"^use\s+(?:the\s+)?(.+?)\s+(?:to|and)\s+(\w.*)$", re.IGNORECASE)
_MEANS = re.compile(r"\s*,?\s+by\s+(\w+ing)\b\s*(.*)$", re.IGNORECASE)
_PURPOSE_EXPLORE = re.compile(
    r"\s*,?\s+(?:in order\s+)?to\s+(?:find|locate|look for|reach|reveal|see|get to)(?:\s+(?:it|them))?$", re.I
)
_PURPOSE = re.compile(
    r"\s*,?\s+(?:in order\s+)?to\s+(?:delete|remove|mark|confirm|finish|complete|continue|proceed|save|send|"
    r"submit|show|open|close|make|get|go|reveal|star|flag|archive|select|choose|indicate|register|log|sign|"
    r"move|finalize|apply|accept|agree)\b.*$",
    re.IGNORECASE,
)
_EXPLORE_VERBS = frozenset({"expand", "switch", "find", "scroll", "open", "search", "click"})
_GERUNDS = {
    "clicking": "click",
    "tapping": "tap",
    "pressing": "press",
    "hitting": "hit",
    "typing": "type",
    "entering": "enter",
    "selecting": "select",
    "choosing": "choose",
    "picking": "pick",
    "checking": "check",
    "dragging": "drag",
    "using": "use",
    "scrolling": "scroll",
    "hovering": "hover",
    "double-clicking": "double-click",
    "filling": "fill",
    "setting": "set",
    "opening": "open",
    "expanding": "expand",
    "switching": "switch",
}

Frame = Callable[[str, Ctx, str], list[Parse]]


def parse_clause(clause: str, ctx: Ctx) -> list[Parse]:
    """Candidate parses of one English clause (empty when no verb starts it)."""
    text = EN_TAIL.sub("", clause).strip(" ,.")
    text = _scene(text, ctx)
    use = _USE_TO.match(text)
    if use and not en_verb(use.group(1)):
        ctx.default_target = ctx.target(f"the {use.group(1)}")
        text = use.group(2)
    means = _MEANS.search(text)
    if means and means.group(1).lower() in _GERUNDS and means.group(2):
        inner = parse_clause(f"{_GERUNDS[means.group(1).lower()]} {means.group(2)}", ctx)
        if inner:
            return inner
        text = text[: means.start()]
    hit = en_verb(text)
    if hit is None:
        return []
    verb, surface, rest = hit
    if _PURPOSE_EXPLORE.search(rest) and verb in _EXPLORE_VERBS:
        ctx.explore = True
        return [Parse((), 0.9, "explore")]
    rest = _PURPOSE.sub("", rest).strip()
    frame = FRAMES.get(verb)
    return frame(rest, ctx, surface) if frame else []


def _scene(text: str, ctx: Ctx) -> str:
    m = _SCENE_SCOPE.match(text)
    if m and en_verb(text[m.end() :]):
        ctx.scope = ctx.literal(m.group(1))
        return text[m.end() :]
    m = _SCENE_USING.match(text)
    if m and en_verb(text[m.end() :]):
        return text[m.end() :]
    m = _SCENE_IN.match(text)
    if m and en_verb(text[m.end() :]):
        ctx.scope = ctx.literal(m.group(1))
        return text[m.end() :]
    return text


def _press(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    keys = slots.keys_of(ctx.literal(rest))
    out = []
    if keys:
        out.append(Parse((Step(kind="press", keys=keys),), 0.95, "press keys"))
    out += [
        Parse(p.steps, p.prior * (0.7 if keys else 1.0), p.frame) for p in slots.click(rest, ctx, "click")
    ]
    return out


def _wait(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    return slots.wait(rest, ctx)


FRAMES: dict[str, Frame] = {
    "click": lambda r, c, s: slots.click(r, c, "click"),
    "double_click": lambda r, c, s: slots.click(r, c, "double_click"),
    "right_click": lambda r, c, s: slots.click(r, c, "right_click"),
    "hover": lambda r, c, s: slots.click(r, c, "hover"),
    "press": _press,
    "type": slots.type_,
    "fill": slots.fill,
    "set": slots.set_,
    "clear": lambda r, c, s: slots.single(r, c, "clear"),
    "choose": slots.choose,
    "check": lambda r, c, s: slots.check(r, c, "check"),
    "uncheck": lambda r, c, s: slots.check(r, c, "uncheck"),
    "focus": lambda r, c, s: slots.single(r, c, "focus"),
    "expand": lambda r, c, s: slots.single(r, c, "expand"),
    "collapse": lambda r, c, s: slots.single(r, c, "collapse"),
    "close": lambda r, c, s: slots.single(r, c, "close"),
    "switch": slots.switch,
    "open": slots.open_,
    "scroll": slots.scroll,
    "drag": slots.drag,
    "highlight": lambda r, c, s: slots.text_target(r, c, "highlight"),
    "copy": lambda r, c, s: slots.text_target(r, c, "copy"),
    "paste": slots.paste,
    "submit": lambda r, c, s: [Parse((Step(kind="submit"),), 0.95, "submit")],
    "find": slots.find,
    "search": slots.search,
    "wait": _wait,
    "answer": slots.answer,
    "login": slots.login,
    "act": slots.act,
}
