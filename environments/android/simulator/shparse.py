"""A small POSIX-sh tokenizer: enough of ``sh -c`` to run what adb clients send.

It implements quoting exactly (single quotes, double quotes with backslash escapes,
backslashes outside quotes) because the driver's text escaping is what the tests check,
and splits on the operators ``;``, ``&&``, ``||``, ``|`` and ``>``.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPERATORS = ("&&", "||", ";", "|", ">")
_DQ_ESCAPABLE = '"\\$`'


@dataclass(frozen=True)
class Token:
    text: str
    operator: bool = False


class ShellSyntaxError(ValueError):
    """Unterminated quote or similar."""


def _operator_at(line: str, i: int) -> str | None:
    for op in _OPERATORS:
        if line.startswith(op, i):
            return op
    return None


def _double_quoted(line: str, i: int, word: list[str]) -> int:
    """Consume a double-quoted string starting after the quote; return the index after it."""
    while i < len(line):
        c = line[i]
        if c == '"':
            return i + 1
        if c == "\\" and i + 1 < len(line) and line[i + 1] in _DQ_ESCAPABLE:
            word.append(line[i + 1])
            i += 2
            continue
        word.append(c)
        i += 1
    raise ShellSyntaxError("unterminated double quote")


def tokenize(line: str) -> list[Token]:
    """Split a command line into words and operators, removing quotes as sh does."""
    tokens: list[Token] = []
    word: list[str] = []
    in_word = False
    i = 0
    while i < len(line):
        c = line[i]
        op = _operator_at(line, i)
        if c in " \t\n" or op:
            if in_word:
                tokens.append(Token("".join(word)))
                word, in_word = [], False
            if op:
                tokens.append(Token(op, operator=True))
                i += len(op)
            else:
                i += 1
            continue
        in_word = True
        if c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated single quote")
            word.append(line[i + 1 : end])
            i = end + 1
        elif c == '"':
            i = _double_quoted(line, i + 1, word)
        elif c == "\\" and i + 1 < len(line):
            word.append(line[i + 1])
            i += 2
        else:
            word.append(c)
            i += 1
    if in_word:
        tokens.append(Token("".join(word)))
    return tokens


@dataclass
class Command:
    """One simple command: its words and where its output goes."""

    argv: list[str]
    redirect: str | None = None


@dataclass
class Pipeline:
    """Commands joined by ``|``, run when ``condition`` holds (``;``, ``&&``, ``||``)."""

    commands: list[Command]
    condition: str = ";"


def parse(line: str) -> list[Pipeline]:
    """Parse a command line into pipelines."""
    pipelines: list[Pipeline] = []
    current = Pipeline(commands=[Command(argv=[])])
    expect_target = False
    for tok in tokenize(line):
        cmd = current.commands[-1]
        if expect_target:
            if tok.operator:
                raise ShellSyntaxError(f"syntax error near {tok.text!r}")
            cmd.redirect, expect_target = tok.text, False
        elif not tok.operator:
            cmd.argv.append(tok.text)
        elif tok.text == ">":
            expect_target = True
        elif tok.text == "|":
            current.commands.append(Command(argv=[]))
        else:
            pipelines.append(current)
            current = Pipeline(commands=[Command(argv=[])], condition=tok.text)
    pipelines.append(current)
    return [p for p in pipelines if any(c.argv for c in p.commands)]
