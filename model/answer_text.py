"""Reading a model's answer text within bounds, shared by every answer parser.

An answer is refused unread past :data:`MAX_ANSWER_CHARS`, and JSON objects are found in
one string-aware pass over the text (:func:`object_spans`) and decoded one span at a time
(:func:`decode_span`), never from an offset into the whole answer: a text of unclosed
strings or braces costs linear time instead of one scan to its end per opening brace.
"""

from __future__ import annotations

import json
import re
from typing import Any

from screenpilot.tools.errors import ModelOutputError

MAX_ANSWER_CHARS = 65_536
"""Longer answers are refused unparsed (a normal answer is a few hundred characters; a
thinking checkpoint's reasoning a few thousand)."""

Span = tuple[int, int]

_JSON_SYNTAX = re.compile(r'[{}"\\]')


def object_spans(text: str) -> list[tuple[Span, list[Span]]]:
    """The largest balanced ``{...}`` spans, in order, each with its direct inner spans.

    String-aware (a brace inside a JSON string does not count). A brace left open, as in
    prose before a JSON object, does not hide the balanced spans inside it: they are the
    largest ones there. The spans are disjoint, so decoding each (and, where it is not
    JSON, its inner spans) reads every character at most twice.
    """
    out: list[tuple[Span, list[Span]]] = []
    starts: list[int] = []
    closed: list[list[tuple[Span, list[Span]]]] = []  # per open brace: spans closed inside it
    in_str = False
    escaped_at = -2
    for m in _JSON_SYNTAX.finditer(text):
        i, ch = m.start(), m.group()
        if in_str:
            if ch == "\\" and escaped_at != i - 1:
                escaped_at = i
            elif ch == '"' and escaped_at != i - 1:
                in_str = False
        elif ch == '"' and starts:
            in_str = True
        elif ch == "{":
            starts.append(i)
            closed.append([])
        elif ch == "}" and starts:
            entry = ((starts.pop(), i + 1), [span for span, _ in closed.pop()])
            (closed[-1] if closed else out).append(entry)
    for spans in closed:  # inside braces never closed
        out.extend(spans)
    return sorted(out)


def decode_span(text: str, span: Span, decoder: json.JSONDecoder | None = None) -> Any:
    """The JSON value of ``text[span]``, or ``None`` when it is not JSON (nesting too deep
    for the decoder included)."""
    try:
        value, _ = (decoder or json.JSONDecoder()).raw_decode(text[span[0] : span[1]])
    except (json.JSONDecodeError, RecursionError):
        return None
    return value


def refuse_long(raw: str, hint: str) -> None:
    """Raise a :class:`ModelOutputError` (a re-ask) for an answer past :data:`MAX_ANSWER_CHARS`.

    Raises:
        ModelOutputError: Naming the length, with ``hint`` and the answer's start as ``raw``.
    """
    if len(raw) > MAX_ANSWER_CHARS:
        raise ModelOutputError(
            f"the answer was {len(raw)} characters long (at most {MAX_ANSWER_CHARS} are read). {hint}",
            raw=raw[:4096],
        )
