"""A tiny condition language for ``if`` and ``while``, parsed, never evaluated as code.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") atom)?
    atom    := NUMBER | STRING | true | false | null | "(" expr ")"
             | NAME ("." NAME | "." INT)*          a variable (``row.email``)
             | NAME "(" [expr ("," expr)*] ")"     a function from FUNCTIONS

Variables are referenced by name, never spliced in as text: a value such as
``' or true`` stays a string, so data cannot change the meaning of a condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from screenpilot.tools.errors import ConfigError

FUNCTIONS: dict[str, int] = {
    "visible": 1,
    "visible_element": 1,
    "visible_image": 1,
    "len": 1,
    "lower": 1,
    "number": 1,
}
"""Function name -> number of arguments."""

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op>==|!=|<=|>=|<|>|\(|\)|,|\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}


class ExprContext(Protocol):
    """What a condition can see: variables and the screen."""

    def lookup(self, path: tuple[str, ...]) -> Any:
        """The value of a (dotted) variable; raises ``ConfigError`` when unknown."""
        ...

    def visible(self, kind: str, value: str) -> bool:
        """Whether a target of ``kind`` (text, element, image) is on the screen now."""
        ...


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Var:
    path: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


Node = Const | Var | Call | Not | BoolOp | Compare


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ConfigError(f"unexpected character {text[pos:].lstrip()[:1]!r} at column {pos + 1}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def accept(self, value: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[1] == value and tok[0] in ("op", "name"):
            self.i += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.accept(value):
            raise self.error(f"expected {value!r}")

    def error(self, message: str) -> ConfigError:
        tok = self.peek()
        where = f"at column {tok[2]} ({tok[1]!r})" if tok else "at the end"
        return ConfigError(f"bad condition {self.text!r}: {message} {where}")

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("empty condition")
        node = self.or_()
        if self.peek() is not None:
            raise self.error("unexpected token")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.accept("or"):
            items.append(self.and_())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def and_(self) -> Node:
        items = [self.not_()]
        while self.accept("and"):
            items.append(self.not_())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def not_(self) -> Node:
        if self.accept("not"):
            return Not(self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.atom()
        tok = self.peek()
        if tok is not None and tok[1] in ("==", "!=", "<", "<=", ">", ">=", "in"):
            self.i += 1
            return Compare(tok[1], left, self.atom())
        return left

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("expected a value")
        kind, value, _ = tok
        self.i += 1
        if kind == "number":
            return Const(float(value) if "." in value else int(value))
        if kind == "string":
            return Const(_unquote(value))
        if value == "(":
            node = self.or_()
            self.expect(")")
            return node
        if kind != "name" or value in {"and", "or", "not", "in"}:
            self.i -= 1
            raise self.error("expected a value")
        if value in ("true", "false", "null"):
            return Const({"true": True, "false": False, "null": None}[value])
        if self.accept("("):
            return self.call(value)
        path = [value]
        while self.accept("."):
            nxt = self.peek()
            if nxt is None or nxt[0] not in ("name", "number") or nxt[1] in _KEYWORDS:
                raise self.error("expected a field name after '.'")
            self.i += 1
            path.append(nxt[1])
        return Var(tuple(path))

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise self.error(f"unknown function {name!r} (known: {', '.join(sorted(FUNCTIONS))})")
        args: list[Node] = []
        if not self.accept(")"):
            args.append(self.or_())
            while self.accept(","):
                args.append(self.or_())
            self.expect(")")
        if len(args) != FUNCTIONS[name]:
            raise self.error(f"{name}() takes {FUNCTIONS[name]} argument(s), got {len(args)}")
        return Call(name, tuple(args))


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


MAX_EXPRESSION_CHARS = 2000
"""Longest condition accepted."""


@lru_cache(maxsize=512)
def parse_expression(text: str) -> Node:
    """Parse a condition.

    Raises:
        ConfigError: With the column of the problem.
    """
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ConfigError(
            f"a condition of {len(text)} characters is too long (at most {MAX_EXPRESSION_CHARS})"
        )
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise ConfigError("the condition is nested too deeply") from None


def check_expression(text: str) -> str:
    """A pydantic validator: the text when it parses, ``ValueError`` otherwise."""
    try:
        parse_expression(text)
    except ConfigError as e:
        raise ValueError(str(e)) from None
    return text


def evaluate(node: Node, ctx: ExprContext) -> Any:
    """Evaluate a parsed condition against variables and the screen."""
    match node:
        case Const(value=v):
            return v
        case Var(path=p):
            return ctx.lookup(p)
        case Not(operand=o):
            return not truthy(evaluate(o, ctx))
        case BoolOp(op="and", operands=ops):
            return all(truthy(evaluate(o, ctx)) for o in ops)
        case BoolOp(operands=ops):
            return any(truthy(evaluate(o, ctx)) for o in ops)
        case Compare(op=op, left=left, right=right):
            return _compare(op, evaluate(left, ctx), evaluate(right, ctx))
        case Call(name=name, args=args):
            return _call(name, [evaluate(a, ctx) for a in args], ctx)
    raise ConfigError(f"cannot evaluate {node!r}")


def truthy(value: Any) -> bool:
    """Truth of a value; the strings ``false``, ``no``, ``0`` and ``""`` are false (from --var)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "no", "0", "off")
    return bool(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        raise ConfigError(f"{value!r} is not a number") from None


_ORDER: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "in":
        return str(a) in b if isinstance(b, str) else a in (b or ())
    if op in ("==", "!="):
        if isinstance(a, int | float) != isinstance(b, int | float) and a is not None and b is not None:
            # a number compared with text from --var or extract: compare as numbers
            try:
                equal = _number(a) == _number(b)
            except ConfigError:
                equal = False
        else:
            equal = a == b
        return equal if op == "==" else not equal
    return _ORDER[op](_number(a), _number(b))


def _call(name: str, args: list[Any], ctx: ExprContext) -> Any:
    (arg,) = args
    if name == "len":
        return len(arg)
    if name == "lower":
        return str(arg).lower()
    if name == "number":
        return _number(arg)
    kind = {"visible": "text", "visible_element": "element", "visible_image": "image"}[name]
    return ctx.visible(kind, str(arg))
