"""Parse Qwen-VL answers into tool calls: pure functions, no I/O.

Accepted shapes, in the order they are tried:

* ``<tool_call>{json}</tool_call>`` blocks (with or without newlines, several per answer,
  a missing closing tag at the very end tolerated), with light JSON repair: code fences,
  trailing commas and missing closing braces or brackets;
* the XML form ``<tool_call><function=NAME><parameter=KEY>VALUE</parameter></function>``;
* bare JSON objects ``{"name": ..., "arguments": ...}`` anywhere in the text.

``<think>...</think>`` (or a leading reasoning that ends in ``</think>``), a server's
``reasoning_content`` and ``Thought:`` / ``Action:`` lines are kept as the thought.
Every failure raises :class:`~tools.errors.ModelOutputError` whose message is written for
re-asking the model; nothing else escapes. Answers longer than :data:`MAX_ANSWER_CHARS`
are refused before parsing, and parsing is linear in the answer's length: no pattern can
backtrack across the answer, and no JSON is decoded from an offset into the whole answer
(a failed decode counts lines up to its offset).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.model.answer_text import MAX_ANSWER_CHARS, decode_span, object_spans
from screenpilot.tools.errors import ModelOutputError

MAX_CALLS = 8
"""More calls than this in one answer is treated as degenerate output."""

MAX_REASONING_CHARS = 16_384
"""A server's separate reasoning text is kept as the thought up to this length."""

_OPEN, _CLOSE = "<tool_call>", "</tool_call>"
_OPEN_OR_CLOSE = re.compile(r"</?tool_call>")
# bounded repeats: a failed match at one position cannot scan the rest of the answer
_FUNCTION = re.compile(r"<function\s{0,8}=\s{0,8}([^<>\s]{1,128})\s{0,8}>", re.IGNORECASE)
_PARAMETER_HEAD = re.compile(r"<parameter\s{0,8}=\s{0,8}([^<>\s]{1,128})\s{0,8}>", re.IGNORECASE)
_PARAMETER_END = re.compile(r"</parameter>", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:\d\)\s*)?(thought|action)\s*[:：]\s*(.*)$", re.IGNORECASE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")

FORMAT_HINT = (
    'Answer with one <tool_call>{"name": <function-name>, "arguments": <args-json-object>}</tool_call> block.'
)


class ToolCall(BaseModel):
    """One function call the model made."""

    model_config = ConfigDict(frozen=True)

    name: str
    arguments: dict[str, Any]


class ParsedResponse(BaseModel):
    """A parsed answer.

    Attributes:
        thought: Reasoning (``<think>``, ``reasoning_content``, ``Thought:``), joined.
        action_text: The ``Action:`` line, if any (used as the step summary).
        calls: The tool calls, in order (at least one).
    """

    model_config = ConfigDict(frozen=True)

    thought: str
    action_text: str
    calls: tuple[ToolCall, ...]


def parse_response(text: object, reasoning: object = None) -> ParsedResponse:
    """Parse a raw answer.

    Raises:
        ModelOutputError: When no well-formed tool call is found.
    """
    raw = text if isinstance(text, str) else ""
    if len(raw) > MAX_ANSWER_CHARS:
        raise ModelOutputError(
            f"the answer was {len(raw)} characters long (at most {MAX_ANSWER_CHARS} are read): "
            f"think briefly and give only the tool call. {FORMAT_HINT}",
            raw=clip_raw(raw),
        )
    thinking = reasoning[:MAX_REASONING_CHARS] if isinstance(reasoning, str) else None
    try:
        return _parse(raw, thinking)
    except ModelOutputError as e:
        raise ModelOutputError(str(e), raw=raw) from None
    except (RecursionError, ValueError, TypeError, OverflowError) as e:  # e.g. deep nesting
        raise ModelOutputError(
            f"the answer could not be parsed ({type(e).__name__}). {FORMAT_HINT}", raw=raw
        ) from None


def clip_raw(raw: str, limit: int = 4096) -> str:
    """The start of an over-long answer, for the record (the rest is only counted)."""
    return raw if len(raw) <= limit else raw[:limit] + f"... [{len(raw) - limit} more characters]"


def _parse(text: str, reasoning: str | None) -> ParsedResponse:
    if not text.strip():
        raise ModelOutputError(f"the answer was empty. {FORMAT_HINT}")
    think, rest = split_think(text)
    thought_line, action_text = _labels(rest)
    try:
        calls = _tool_calls(rest)
    except ModelOutputError:
        if "<think>" in text and "</think>" not in text:
            raise ModelOutputError(
                f"the answer stopped inside <think> (no </think>): keep the reasoning short, close it "
                f"with </think>, then answer. {FORMAT_HINT}"
            ) from None
        raise
    pieces: list[str] = []
    for piece in (reasoning or "", think, thought_line):
        if piece.strip() and piece.strip() not in pieces:  # thinking often repeats the Thought line
            pieces.append(piece.strip())
    thought = "\n".join(pieces)
    return ParsedResponse(thought=thought, action_text=action_text, calls=tuple(calls))


def split_think(text: str) -> tuple[str, str]:
    """``(thinking, rest)``: thinking checkpoints open with ``<think>``, or only close it when
    the chat template already opened it."""
    end = text.find("</think>")
    if end < 0:
        start = text.find("<think>")
        if start >= 0:  # unterminated thinking: nothing after it can be trusted as an answer
            return text[start + len("<think>") :].strip(), text[:start]
        return "", text
    start = text.find("<think>")
    after = text[end + len("</think>") :]
    if 0 <= start < end:
        return text[start + len("<think>") : end].strip(), text[:start] + after
    return text[:end].strip(), after


def _labels(text: str) -> tuple[str, str]:
    thought, action = "", ""
    head = text.split(_OPEN, 1)[0]
    for line in head.splitlines():
        m = _LABEL.match(line)
        if m and m.group(1).lower() == "thought" and not thought:
            thought = m.group(2).strip()
        elif m and m.group(1).lower() == "action" and not action:
            action = m.group(2).strip()
    return thought, action


def _tool_calls(text: str) -> list[ToolCall]:
    bodies = _blocks(text)
    if bodies:
        filled = [b for b in bodies if b.strip()]
        if len(filled) > MAX_CALLS:
            raise ModelOutputError(f"the answer has {len(filled)} tool calls; give at most {MAX_CALLS}")
        calls = [_body_to_call(b) for b in filled]
        if not calls:
            raise ModelOutputError(f"the <tool_call> block was empty. {FORMAT_HINT}")
    elif _FUNCTION.search(text):
        calls = [_xml_call(text)]
    else:
        calls = _bare_json_calls(text)
        if not calls:
            raise ModelOutputError(f"no <tool_call> was found in the answer. {FORMAT_HINT}")
    if len(calls) > MAX_CALLS:
        raise ModelOutputError(f"the answer has {len(calls)} tool calls; give at most {MAX_CALLS}")
    return calls


def _blocks(text: str) -> list[str]:
    """Bodies of ``<tool_call>`` blocks; a block left open at the end runs to the end.

    One pass over the tags: a block ends at its closing tag or at the next opening one.
    """
    out: list[str] = []
    body_start: int | None = None
    for tag in _OPEN_OR_CLOSE.finditer(text):
        if body_start is not None:
            out.append(text[body_start : tag.start()])
            body_start = None
            if len(out) > 4 * MAX_CALLS:
                return out  # degenerate: rejected by the caller without parsing the rest
        if tag.group(0) == _OPEN:
            body_start = tag.end()
    if body_start is not None:
        out.append(text[body_start:])
    return out


def _body_to_call(body: str) -> ToolCall:
    if _FUNCTION.search(body):
        return _xml_call(body)
    data = load_json_lenient(body)
    return _as_call(data)


def load_json_lenient(text: str) -> Any:
    """``json.loads`` after light repair (fences, trailing commas, missing closers).

    Raises:
        ModelOutputError: When the text is still not JSON.
    """
    s = _strip_fence(text)
    start = min((i for i in (s.find("{"), s.find("[")) if i >= 0), default=-1)
    if start < 0:
        raise ModelOutputError(f"the tool call is not a JSON object: {_clip(s)!r}. {FORMAT_HINT}")
    s = s[start:]
    for candidate in (s, _TRAILING_COMMA.sub(r"\1", s)):
        for attempt in (candidate, candidate + _missing_closers(candidate)):
            try:
                value, _ = json.JSONDecoder().raw_decode(attempt)
                return value
            except json.JSONDecodeError:
                continue
    raise ModelOutputError(f"the tool call is not valid JSON: {_clip(s)!r}. {FORMAT_HINT}")


def _strip_fence(text: str) -> str:
    """The text without a surrounding Markdown code fence (```json ... ```)."""
    s = text.strip()
    if s.startswith("```"):
        s = s[3:]
        s = s[len(s) - len(s.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) :]
    if s.endswith("```"):
        s = s[:-3]
    return s.strip()


def _missing_closers(s: str) -> str:
    """The closing brackets an unterminated JSON text still needs (string-aware)."""
    stack: list[str] = []
    in_str = escaped = False
    for ch in s:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack and stack[-1] == ch:
            stack.pop()
    return ('"' if in_str else "") + "".join(reversed(stack))


def _as_call(data: Any) -> ToolCall:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise ModelOutputError(
            f'a tool call must be a JSON object with "name" and "arguments". {FORMAT_HINT}'
        )
    args = data.get("arguments", data.get("parameters"))
    if isinstance(args, str):
        args = load_json_lenient(args)
    name = data.get("name")
    if args is None and "action" in data:  # the arguments object on its own
        name, args = "", {k: v for k, v in data.items() if k != "name"}
    if not isinstance(name, str) or not isinstance(args, dict):
        raise ModelOutputError(f'a tool call needs a string "name" and an "arguments" object. {FORMAT_HINT}')
    return ToolCall(name=name.strip(), arguments=args)


def _xml_call(body: str) -> ToolCall:
    m = _FUNCTION.search(body)
    if m is None:
        raise ModelOutputError(f"the tool call has no <function=NAME>. {FORMAT_HINT}")
    args: dict[str, Any] = {}
    pos = m.end()
    while len(args) <= 64:
        head = _PARAMETER_HEAD.search(body, pos)
        if head is None:
            break
        end = _PARAMETER_END.search(body, head.end())
        if end is None:
            break  # the rest has no closing tag: nothing more can be complete
        args[head.group(1).strip()] = _xml_value(body[head.end() : end.start()])
        pos = end.end()
    if not args:
        raise ModelOutputError(
            f"the <function={_clip(m.group(1))}> call has no <parameter=...> values. {FORMAT_HINT}"
        )
    return ToolCall(name=m.group(1).strip(), arguments=args)


def _xml_value(raw: str) -> Any:
    value = raw.strip("\n")
    stripped = value.strip()
    if stripped[:1] in "[{" or _is_number(stripped) or stripped in ("true", "false", "null"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError:
            return value
    return value


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return bool(s)


def _bare_json_calls(text: str) -> list[ToolCall]:
    """Calls written as bare JSON objects in prose.

    Balanced ``{...}`` spans are found in one string-aware pass; only spans that mention
    ``"arguments"`` or ``"action"`` are decoded, each on its own (an outer span that is not
    JSON has its direct inner spans tried), so every character is decoded at most twice.
    """
    if not _mentions_call(text, (0, len(text))):
        return []
    decoder = json.JSONDecoder()
    calls: list[ToolCall] = []
    for span, inner in object_spans(text):
        if not _mentions_call(text, span):
            continue
        value = decode_span(text, span, decoder)
        values = (
            [value]
            if value is not None
            else [decode_span(text, s, decoder) for s in inner if _mentions_call(text, s)]
        )
        for v in values:
            if isinstance(v, dict) and ("arguments" in v or "action" in v):
                calls.append(_as_call(v))
                if len(calls) > MAX_CALLS:
                    return calls
    return calls


def _mentions_call(text: str, span: tuple[int, int]) -> bool:
    start, end = span
    return text.find('"arguments"', start, end) >= 0 or text.find('"action"', start, end) >= 0


def _clip(s: str, n: int = 120) -> str:
    return s if len(s) <= n else s[:n] + "..."
