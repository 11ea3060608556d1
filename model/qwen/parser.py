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
re-asking the model; nothing else escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import ModelOutputError

MAX_CALLS = 8
"""More calls than this in one answer is treated as degenerate output."""

_OPEN, _CLOSE = "<tool_call>", "</tool_call>"
_FUNCTION = re.compile(r"<function\s*=\s*([^>\s]+)\s*>", re.IGNORECASE)
_PARAMETER = re.compile(r"<parameter\s*=\s*([^>\s]+)\s*>(.*?)</parameter>", re.IGNORECASE | re.DOTALL)
_LABEL = re.compile(r"^\s*(?:\d\)\s*)?(thought|action)\s*[:：]\s*(.*)$", re.IGNORECASE)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
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
    try:
        return _parse(raw, reasoning if isinstance(reasoning, str) else None)
    except ModelOutputError as e:
        raise ModelOutputError(str(e), raw=raw) from None
    except (RecursionError, ValueError, TypeError) as e:  # pathological input, e.g. deep nesting
        raise ModelOutputError(
            f"the answer could not be parsed ({type(e).__name__}). {FORMAT_HINT}", raw=raw
        ) from None


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
        calls = [_body_to_call(b) for b in bodies if b.strip()]
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
    """Bodies of ``<tool_call>`` blocks; a block left open at the end runs to the end."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find(_OPEN, pos)
        if start < 0:
            return out
        body_start = start + len(_OPEN)
        end = text.find(_CLOSE, body_start)
        nxt = text.find(_OPEN, body_start)
        if end < 0 or (0 <= nxt < end):
            stop = nxt if nxt >= 0 else len(text)
            out.append(text[body_start:stop])
            pos = stop
        else:
            out.append(text[body_start:end])
            pos = end + len(_CLOSE)


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
    s = _FENCE.sub("", text.strip()).strip()
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
    for key, raw in _PARAMETER.findall(body[m.end() :]):
        args[key.strip()] = _xml_value(raw)
    if not args:
        raise ModelOutputError(
            f"the <function={m.group(1)}> call has no <parameter=...> values. {FORMAT_HINT}"
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
    decoder = json.JSONDecoder()
    calls: list[ToolCall] = []
    pos = text.find("{")
    while pos >= 0:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            pos = text.find("{", pos + 1)
            continue
        if isinstance(value, dict) and ("arguments" in value or "action" in value):
            calls.append(_as_call(value))
        pos = text.find("{", end)
    return calls


def _clip(s: str, n: int = 120) -> str:
    return s if len(s) <= n else s[:n] + "..."
