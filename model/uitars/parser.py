"""Parse UI-TARS answers into calls: pure functions, no ``eval``, no ``ast`` on model output.

A UI-TARS answer is ``Thought: ...`` (or ``Reflection: ... Action_Summary: ...``) and then
``Action: name(key='value', ...)``; several actions are separated by blank lines. Points
come as ``'(x,y)'``, ``'<|box_start|>(x,y)<|box_end|>'``, ``'<point>x y</point>'`` or a box
``'(x1,y1,x2,y2)'`` / ``'<bbox>x1 y1 x2 y2</bbox>'`` (its centre). Values are Python-style
quoted strings whose ``\\'``, ``\\"`` and ``\\n`` escapes are decoded; ``type(content=...)``
keeps quotes the model forgot to escape, as the official parser does. Every failure raises
:class:`~tools.errors.ModelOutputError` with a message written for re-asking; answers longer
than :data:`~screenpilot.model.answer_text.MAX_ANSWER_CHARS` are refused unread.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from screenpilot.model.answer_text import refuse_long
from screenpilot.tools.errors import ModelOutputError

FORMAT_HINT = "Answer with a Thought: line and an Action: line such as click(start_box='(x,y)')."
MAX_ACTIONS = 8

_THOUGHT = re.compile(r"(?:Thought|Action_Summary):\s*(.+?)(?=\s*Action:|$)", re.DOTALL)
_REFLECTION = re.compile(r"Reflection:\s*(.+?)(?=\s*Action_Summary:|\s*Action:|$)", re.DOTALL)
_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_KEY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_TAGS = re.compile(r"<\|box_start\|>|<\|box_end\|>|</?point>|</?bbox>")
_ESCAPES = {"n": "\n", "t": "\t", "'": "'", '"': '"', "\\": "\\"}


class TarsCall(BaseModel):
    """One action the model wrote: its name and its keyword arguments (as strings)."""

    model_config = ConfigDict(frozen=True)

    name: str
    args: dict[str, str]


class TarsAnswer(BaseModel):
    """A parsed answer: the reasoning and the actions in order (at least one)."""

    model_config = ConfigDict(frozen=True)

    thought: str
    reflection: str
    calls: tuple[TarsCall, ...]


def parse_answer(text: object) -> TarsAnswer:
    """Parse a raw UI-TARS answer.

    Raises:
        ModelOutputError: When there is no ``Action:`` or an action cannot be read.
    """
    raw = text if isinstance(text, str) else ""
    refuse_long(raw, FORMAT_HINT)
    body = raw.replace("[EOS]", "").strip()
    if "Action:" not in body:
        raise ModelOutputError(f"the answer has no 'Action:' line. {FORMAT_HINT}", raw=raw)
    head, _, actions = body.rpartition("Action:")
    thought = _THOUGHT.search(head + "Action:")
    reflection = _REFLECTION.search(head + "Action:")
    chunks = [c for c in re.split(r"\)\s*\n\s*\n", actions.strip()) if c.strip()]
    if not chunks:
        raise ModelOutputError(f"the 'Action:' line is empty. {FORMAT_HINT}", raw=raw)
    if len(chunks) > MAX_ACTIONS:
        raise ModelOutputError(f"the answer has {len(chunks)} actions; give at most {MAX_ACTIONS}", raw=raw)
    try:
        calls = tuple(parse_call(c if c.rstrip().endswith(")") else c.rstrip() + ")") for c in chunks)
    except ModelOutputError as e:
        raise ModelOutputError(str(e), raw=raw) from None
    return TarsAnswer(
        thought=thought.group(1).strip() if thought else "",
        reflection=reflection.group(1).strip() if reflection else "",
        calls=calls,
    )


def parse_call(text: str) -> TarsCall:
    """``name(key='value', other=...)`` into a :class:`TarsCall`."""
    m = _NAME.match(text)
    if m is None:
        raise ModelOutputError(f"cannot read the action {text.strip()[:80]!r}. {FORMAT_HINT}")
    name, inner = m.group(1), text[m.end() :].rstrip()
    if not inner.endswith(")"):
        raise ModelOutputError(f"the action {name}(...) is not closed with ')'. {FORMAT_HINT}")
    inner = inner[:-1]
    if name == "type" and _KEY.match(inner) and _KEY.match(inner).group(1) == "content":  # type: ignore[union-attr]
        return TarsCall(name=name, args={"content": _type_content(inner)})
    return TarsCall(name=name, args=_arguments(inner, name))


def _arguments(inner: str, name: str) -> dict[str, str]:
    args: dict[str, str] = {}
    pos = 0
    while pos < len(inner):
        if not inner[pos:].strip():
            break
        key = _KEY.match(inner, pos)
        if key is None:
            raise ModelOutputError(
                f"cannot read the arguments of {name}(...): {inner[pos:][:60]!r}. {FORMAT_HINT}"
            )
        value, pos = _value(inner, key.end(), name)
        args[key.group(1)] = value
        rest = inner[pos:].lstrip()
        if rest.startswith(","):
            pos = len(inner) - len(rest) + 1
        elif rest:
            raise ModelOutputError(f"unexpected text in {name}(...): {rest[:60]!r}. {FORMAT_HINT}")
        else:
            break
    return args


def _value(inner: str, pos: int, name: str) -> tuple[str, int]:
    """A quoted (or bare) value starting at ``pos``, and where it ends."""
    quote = inner[pos : pos + 1]
    if quote not in ("'", '"'):
        end = inner.find(",", pos)
        end = len(inner) if end < 0 else end
        return inner[pos:end].strip(), end
    out: list[str] = []
    i = pos + 1
    while i < len(inner):
        ch = inner[i]
        if ch == "\\" and i + 1 < len(inner):
            out.append(_ESCAPES.get(inner[i + 1], "\\" + inner[i + 1]))
            i += 2
            continue
        if ch == quote:
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise ModelOutputError(f"a quoted value in {name}(...) is not closed. {FORMAT_HINT}")


def _type_content(inner: str) -> str:
    """The text of ``type(content='...')``: everything up to the last quote, unescaped."""
    body = inner[_KEY.match(inner).end() :].strip()  # type: ignore[union-attr]
    if body[:1] in ("'", '"') and body[-1:] == body[:1] and len(body) >= 2:
        body = body[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], "\\" + body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def point_of(value: str) -> tuple[float, float]:
    """The point a ``start_box`` / ``point`` value names (a box's centre).

    Raises:
        ModelOutputError: When the value holds neither 2 nor 4 numbers.
    """
    numbers = [float(n) for n in _NUMBER.findall(_TAGS.sub(" ", value))]
    if len(numbers) == 2:
        return numbers[0], numbers[1]
    if len(numbers) == 4:
        return (numbers[0] + numbers[2]) / 2, (numbers[1] + numbers[3]) / 2
    raise ModelOutputError(f"a point must be '(x,y)' or a box '(x1,y1,x2,y2)', got {value!r}. {FORMAT_HINT}")
