"""Qwen3-VL-style answers computed from an environment's ground truth.

The oracle plays a well-behaved model: it reads where things are from the environment
(never from the screenshot), expresses the target in the checkpoint's coordinate
convention and writes the answer in one of the shapes real checkpoints produce.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.model.qwen_server import Reply, Request

# (action name, arguments without coordinate, logical target point or None, thought)
Move = tuple[str, dict[str, Any], tuple[float, float] | None, str]

STYLES = ("plain", "think", "xml", "reasoning")


def tool_call_json(tool: str, args: dict[str, Any]) -> str:
    return "<tool_call>\n" + json.dumps({"name": tool, "arguments": args}) + "\n</tool_call>"


def tool_call_xml(tool: str, args: dict[str, Any]) -> str:
    params = "".join(
        f"<parameter={k}>\n{v if isinstance(v, str) else json.dumps(v)}\n</parameter>\n"
        for k, v in args.items()
    )
    return f"<tool_call>\n<function={tool}>\n{params}</function>\n</tool_call>"


@dataclass
class Oracle:
    """Answers each request with the next move of ``plan``.

    Args:
        plan: Returns the next move from the environment's current state.
        logical_size: ``(width, height)`` of the screen in logical pixels.
        convention: ``rel1000``, ``rel999`` or ``image``.
        malformed_at: Request numbers (0-based) answered with prose instead of a call.
        status_at: Request numbers answered with an HTTP error, ``{n: (status, headers)}``.
    """

    plan: Callable[[], Move]
    logical_size: tuple[int, int]
    convention: str = "rel1000"
    tool: str = "computer_use"
    malformed_at: tuple[int, ...] = ()
    status_at: dict[int, tuple[int, dict[str, str]]] = field(default_factory=dict)
    answers: list[str] = field(default_factory=list)
    _count: Iterator[int] = field(default_factory=lambda: iter(range(10_000)))
    _styles: Iterator[int] = field(default_factory=lambda: iter(range(10_000)))

    def __call__(self, request: Request) -> Reply:
        n = next(self._count)
        if n in self.status_at:
            status, headers = self.status_at[n]
            return Reply(status=status, headers=headers, content="busy")
        if n in self.malformed_at:
            text = "I think I should click the Sign in button now."
            self.answers.append(text)
            return Reply(content=text)
        name, args, target, thought = self.plan()
        tool = str(args.pop("_tool", self.tool))
        if target is not None:
            args = {**args, "coordinate": self._coordinate(target, request)}
        style = STYLES[next(self._styles) % len(STYLES)]
        call = {"action": name, **args}
        body = tool_call_xml(tool, call) if style == "xml" else tool_call_json(tool, call)
        head = f"Thought: {thought}\nAction: {name.replace('_', ' ')}.\n"
        reply = Reply(content=head + body)
        if style == "think":
            reply = Reply(content=f"<think>\n{thought}\n</think>\n\n" + head + body)
        elif style == "reasoning":
            reply = Reply(content=head + body, reasoning=thought)
        self.answers.append(reply.content)
        return reply

    def _coordinate(self, target: tuple[float, float], request: Request) -> list[int]:
        fx, fy = target[0] / self.logical_size[0], target[1] / self.logical_size[1]
        if self.convention == "image":
            w, h = request.images[-1].size
            return [round(fx * w), round(fy * h)]
        scale = 999 if self.convention == "rel999" else 1000
        return [round(fx * scale), round(fy * scale)]
