"""Write samples as the Qwen-VL fine-tuning recipe's JSON or as OpenAI-style chat JSONL.

``qwen-vl`` (QwenLM/Qwen3-VL ``qwen-vl-finetune``): a JSON list of
``{"image": path | [paths], "conversations": [{"from": "human" | "gpt", "value": ...}]}``
with one ``<image>`` in the human turns per image, in order. The recipe's loader maps
``human`` to the user role and everything else to the assistant role, so a system turn has
no place of its own: the system prompt opens the first human turn, followed by a blank line.
Its loader also strips each text segment between placeholders; the chat template then joins
the parts without separators, as it does for the policy's own prompts.

``chat``: one JSON object per line, ``{"messages": [...]}`` with the system turn as a
``system`` message, user turns as content lists of ``{"type": "image_url", "image_url":
{"url": "images/<sha>.png"}}`` and ``{"type": "text", "text": ...}`` parts in prompt order, and
the answer as the last ``assistant`` message. Image URLs are paths relative to the export
directory.

Both carry ``id``, which ``meta.jsonl`` keys (training code ignores extra keys).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from screenpilot.benchmarks.finetune.sample import Sample, Turn

Format = Literal["qwen-vl", "chat"]
FORMATS: tuple[Format, ...] = ("qwen-vl", "chat")
IMAGE_PLACEHOLDER = "<image>"
SYSTEM_SEPARATOR = "\n\n"


def qwen_vl_record(sample: Sample) -> dict[str, Any]:
    """One entry of the recipe's JSON list."""
    conversations: list[dict[str, str]] = []
    system = ""
    for turn in sample.turns:
        if turn.role == "system":
            system += turn.text
            continue
        value = "".join(IMAGE_PLACEHOLDER if p.image is not None else (p.text or "") for p in turn.parts)
        if turn.role == "user" and system:
            value, system = system + SYSTEM_SEPARATOR + value, ""
        conversations.append({"from": "human" if turn.role == "user" else "gpt", "value": value})
    conversations.append({"from": "gpt", "value": sample.answer})
    images = sample.images
    record: dict[str, Any] = {"id": sample.id}
    if images:
        record["image"] = images[0] if len(images) == 1 else images
    record["conversations"] = conversations
    return record


def chat_record(sample: Sample) -> dict[str, Any]:
    """One line of the chat JSONL."""
    messages = [_chat_message(t) for t in sample.turns]
    messages.append({"role": "assistant", "content": sample.answer})
    return {"id": sample.id, "messages": messages}


def _chat_message(turn: Turn) -> dict[str, Any]:
    if turn.role != "user":
        return {"role": turn.role, "content": turn.text}
    content: list[dict[str, Any]] = []
    for p in turn.parts:
        if p.image is not None:
            content.append({"type": "image_url", "image_url": {"url": p.image}})
        elif p.text:
            content.append({"type": "text", "text": p.text})
    return {"role": "user", "content": content}


def file_name(split: str, fmt: Format) -> str:
    """``train.json`` / ``val.json`` (qwen-vl) or ``train.jsonl`` / ``val.jsonl`` (chat)."""
    return f"{split}.json" if fmt == "qwen-vl" else f"{split}.jsonl"


def write_split(path: Path, samples: Sequence[Sample], fmt: Format) -> None:
    """Write one split's samples to ``path`` in ``fmt``."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        if fmt == "qwen-vl":
            json.dump([qwen_vl_record(s) for s in samples], f, ensure_ascii=False, indent=1)
            f.write("\n")
        else:
            for s in samples:
                f.write(json.dumps(chat_record(s), ensure_ascii=False) + "\n")
    tmp.replace(path)
