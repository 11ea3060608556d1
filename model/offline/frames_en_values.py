"""The English frames that put values into fields: type, fill, set, log in.

Values are checked before a frame is accepted (see :mod:`~screenpilot.model.offline.values`):
"the username karrie and the password AU" is two field/value pairs, "3 into Adults and 2
into Children" two more, "First name with Ada and Last name with Lovelace" two more.
"""

from __future__ import annotations

import re

from screenpilot.model.offline.frames import Ctx, Parse, items, value_step
from screenpilot.model.offline.hints import parse_target, role_of_word
from screenpilot.model.offline.steps import Step
from screenpilot.model.offline.values import Value, parse_value, take_transform

PRONOUN_TARGET = re.compile(r"^(?:it|them|that|this|those|these|that one|this one)$", re.IGNORECASE)
"""A target that is the thing named before ("type it into …", "paste it into that")."""


def _pairs(rest: str, ctx: Ctx) -> list[tuple[str, Value]]:
    """Field/value pairs: "the username "x" and the password "y"" (two or more)."""
    head = re.split(
        r"\s+(?:into|in|on)\s+(?:the\s+|both\s+|all\s+|each\s+)?(?:\w+\s+){0,2}(?:fields?|boxes|inputs?|form)\b",
        rest,
    )[0]
    found = re.findall(
        r"(?:the\s+|a\s+|your\s+)?((?:[A-Za-z][\w-]*\s+){0,2}?[A-Za-z][\w-]*)\s+(\x00\d+\x00|\{\{?[^}]+\}\}?|[^\s,]+)(?:\s*,\s*|\s+and\s+|\s*$)",
        head,
    )
    pairs = []
    for noun, raw in found:
        value = parse_value(raw, ctx.masked)
        words = set(noun.lower().split())
        if (
            value is None
            or value.ref is not None
            or words & {"and", "then", "with", "as", "into", "in", "to", "for"}
        ):
            return []
        pairs.append((noun, value))
    return pairs if len(pairs) >= 2 else []


def _pairs_into(rest: str, ctx: Ctx, transform: object) -> tuple[Step, ...]:
    """ "3 into the Adults field and 2 into Children": one value and field per part."""
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", rest)
    steps = []
    for part in parts:
        m = re.match(r"^(\x00\d+\x00|\S+)\s+(?:into|in|inside|as|for)\s+(.+)$", part.strip(), flags=re.I)
        value = parse_value(m.group(1), ctx.masked) if m else None
        if m is None or value is None:
            return ()
        steps.append(value_step("type", value, target=ctx.target(m.group(2)), transform=transform))
    return tuple(steps) if len(steps) >= 2 else ()


_AFFIX = re.compile(
    r"^(?:an?|the|one|some)\s+(?:\w+\s+)?(?:that|which)\s+(?:starts?|begins?)\s+with\s+(\x00\d+\x00|\S+)"
    r"(?:\s*,?\s*and\s+(?:ends?|finish(?:es)?)\s+with\s+(\x00\d+\x00|\S+))?"
    r"(?:\s+(?:into|in)\s+(.+))?$",
    re.IGNORECASE,
)


def type_(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """type / enter / input / write V [into X] [as X], and field/value pairs."""
    rest, transform = take_transform(rest)
    out: list[Parse] = []
    pairs_into = _pairs_into(rest, ctx, transform)
    if pairs_into:
        out.append(Parse(pairs_into, 0.96, "type V into X and W into Y"))
    affix = _AFFIX.match(rest)
    if affix:
        into = affix.group(3)
        step = Step(
            kind="type",
            text=ctx.literal(affix.group(1)),
            ends=ctx.literal(affix.group(2)) if affix.group(2) else "",  # "": any completion
            target=ctx.target(into) if into else ctx.default_target,
        )
        out.append(Parse((step,), 0.95, "type one that starts with A and ends with B"))
    pairs = _pairs(rest, ctx)
    if pairs:
        steps = tuple(value_step("type", v, target=ctx.target(n), transform=transform) for n, v in pairs)
        out.append(Parse(steps, 0.95, "type pairs"))
    for m in re.finditer(r"\s+(into|in to|inside|onto|in|to|on|as|for|under)\s+", rest, flags=re.I):
        value = parse_value(rest[: m.start()], ctx.masked)
        dest = rest[m.end() :].strip()
        if value is None or not dest:
            continue
        out += _typed_into(value, dest, m.group(1).lower(), ctx, transform)
    value = parse_value(rest, ctx.masked)
    if value is not None:
        target = ctx.default_target
        step = value_step("type", value, target=target, transform=transform)
        out.append(Parse((step,), 0.8 * value.quality, "type V"))
    return out


def _typed_into(value: Value, dest: str, prep: str, ctx: Ctx, transform: object) -> list[Parse]:
    every = re.match(r"^(?:both|all|each|every)\s+(?:of\s+)?(?:the\s+)?(.+)$", dest, flags=re.I)
    target = ctx.target(f"the {every.group(1)}" if every else dest)
    spec = parse_target(target)
    kind = "set" if spec.role in ("date", "time", "slider", "spinbutton", "color") else "type"
    prior = (
        0.95 if prep in ("into", "in", "inside", "in to") else 0.85 if prep == "as" else 0.75
    ) * value.quality
    if target == "$it" or PRONOUN_TARGET.match(dest):
        target = "$it"
    step = value_step(kind, value, target=target, every=bool(every), transform=transform)
    out = [Parse((step,), prior, f"type V {prep} X")]
    if value.noun and not every and role_of_word(value.noun) is None:
        # "enter the password "x" into the text field": the noun may name the field
        alt = value_step(kind, value, target=value.noun, transform=transform)
        out.append(Parse((alt,), prior * 0.9, "type V into its noun"))
    return out


_FILL_WITH = re.compile(r"^(?:in\s+|out\s+)?(?:the\s+)?(.+?)\s+(?:with|as|using)\s+(.+)$", re.IGNORECASE)


def fill(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """fill [in|out] X with V [and Y with W]; fill in V in X."""
    rest, transform = take_transform(rest)
    out: list[Parse] = []
    m = _FILL_WITH.match(rest)
    if m:
        value = parse_value(m.group(2), ctx.masked)
        if value is not None:
            step = value_step("type", value, target=ctx.target(m.group(1)), transform=transform)
            out.append(Parse((step,), 0.95 * value.quality, "fill X with V"))
    pairs = _fill_pairs(re.sub(r"^(?:in|out)\s+", "", rest, flags=re.I), ctx)
    if pairs is not None:
        out.append(pairs)
    inner = re.sub(r"^(?:in|out)\s+", "", rest, flags=re.I)
    return out + type_(inner, ctx, surface)


def _fill_pairs(rest: str, ctx: Ctx) -> Parse | None:
    """ "First name with Ada and Last name with Lovelace": one field/value pair per item."""
    parts = items(rest)
    if len(parts) < 2:
        return None
    steps, quality = [], 1.0
    for part in parts:
        m = _FILL_WITH.match(part)
        value = parse_value(m.group(2), ctx.masked) if m else None
        if m is None or value is None:
            return None
        steps.append(value_step("type", value, target=ctx.target(m.group(1))))
        quality = min(quality, value.quality)
    return Parse(tuple(steps), 0.96 * quality, "fill X with V and Y with W")


def set_(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """set / change / adjust X to V (one value, or a combination over several controls)."""
    out: list[Parse] = []
    m = re.match(
        r"^(.+?)\s+(?:to|at|as|=)\s+(?:the\s+(?:value|combination|number)\s+)?(.+)$",
        rest,
        flags=re.I,
    )
    if not m:
        return type_(rest, ctx, surface)
    target, raw = m.group(1), m.group(2).strip()
    combo = re.fullmatch(r"\[?\s*(-?[\d.]+(?:\s*,\s*-?[\d.]+)+)\s*\]?", ctx.literal(raw))
    if combo:
        values = [v.strip() for v in combo.group(1).split(",")]
        noun = re.sub(
            r"^(?:the|all(?: the)?|both(?: the)?)\s+",
            "",
            re.sub(r"s$", "", ctx.target(target).strip()),
            flags=re.I,
        )
        steps = tuple(
            Step(kind="set", text=v, target=f"the {_ordinal(i + 1)} {noun}") for i, v in enumerate(values)
        )
        out.append(Parse(steps, 0.95, "set Xs to [a, b, c]"))
    value = parse_value(raw, ctx.masked)
    if value is not None:
        out.append(
            Parse((value_step("set", value, target=ctx.target(target)),), 0.9 * value.quality, "set X to V")
        )
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def login(rest: str, ctx: Ctx, surface: str) -> list[Parse]:
    """log in / sign in [as U] [with (the) username U and (the) password P]."""
    rest = re.sub(
        r"^(?:to\s+(?:the\s+)?(?:\w+\s+)?(?:account|site|page|app)\s*)", "", rest.strip(), flags=re.I
    )
    steps: list[Step] = []
    user = re.search(r"\bas\s+(\x00\d+\x00|\S+?)(?=\s|$|,)", rest, flags=re.I)
    if user:
        v = parse_value(user.group(1), ctx.masked)
        if v is not None:
            steps.append(value_step("type", v, target="username"))
        rest = (rest[: user.start()] + rest[user.end() :]).strip()
    rest = re.sub(r"^(?:with|using)\s+", "", rest, flags=re.I)
    for noun, value in _pairs(rest, ctx) or _one_pair(rest, ctx):
        steps.append(value_step("type", value, target=ctx.target(noun)))
    button = "log in" if "log" in surface.lower() else "sign in"
    steps.append(Step(kind="click", target=f"the {button} button"))
    return [Parse(tuple(steps), 0.9, "log in with U and P")]


def _one_pair(rest: str, ctx: Ctx) -> list[tuple[str, Value]]:
    m = re.match(r"^(?:the\s+|my\s+)?((?:\w+\s+)?\w+)\s+(\x00\d+\x00|\S+)$", rest.strip())
    if not m:
        return []
    value = parse_value(m.group(2), ctx.masked)
    return [(m.group(1), value)] if value is not None and value.ref is None else []
