"""How Qwen's fine-tuning recipe reads a data file, reproduced for the tests.

The recipe (QwenLM/Qwen3-VL ``qwen-vl-finetune``, read at commit 9658872) is a script tree,
not a package, and needs GPUs to run, so it cannot be imported here. Its loader
(``qwenvl/data/data_processor.py``) does this with each entry, and these functions do the
same, written from reading it:

* ``image`` is one path or a list, resolved against the dataset's ``data_path``;
* each ``human`` turn becomes a user message, anything else an assistant message (there is
  no system role); a user turn's value is split at ``<image>`` / ``<video>``, each
  placeholder takes the next image in order, and every text piece between them is stripped
  (empty pieces vanish); too many placeholders, or images left over, are errors;
* the messages go through ``processor.apply_chat_template(tokenize=True)``; labels copy the
  tokens from the one after ``<|im_start|>assistant\\n`` up to and including ``<|im_end|>``
  and the newline after it, and are ``-100`` everywhere else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

IGNORE_INDEX = -100


class RecipeError(ValueError):
    """An entry the recipe's loader would refuse."""


def build_messages(item: dict[str, Any], data_path: Path) -> list[dict[str, Any]]:
    """The chat messages the recipe makes of one entry."""
    images = item.get("image") or []
    if isinstance(images, str):
        images = [images]
    if item.get("video"):
        raise RecipeError("exports hold no videos")
    pool = [{"type": "image", "image": str((data_path / p).resolve())} for p in images]
    messages = []
    for turn in item["conversations"]:
        if turn["from"] != "human":
            messages.append({"role": "assistant", "content": [{"type": "text", "text": turn["value"]}]})
            continue
        content: list[dict[str, Any]] = []
        for piece in re.split(r"(<image>|<video>)", turn["value"]):
            if piece == "<image>":
                if not pool:
                    raise RecipeError("more <image> placeholders than images")
                content.append(pool.pop(0))
            elif piece == "<video>":
                raise RecipeError("a <video> placeholder without videos")
            elif piece.strip():
                content.append({"type": "text", "text": piece.strip()})
        messages.append({"role": "user", "content": content})
    if pool:
        raise RecipeError(f"{len(pool)} image(s) not consumed by placeholders")
    return messages


def assistant_labels(
    ids: list[int], im_start: int, header: list[int], im_end: int, newline: int
) -> list[int]:
    """Labels that keep only the assistant turns (answer, ``<|im_end|>`` and its newline)."""
    labels = [IGNORE_INDEX] * len(ids)
    i = 0
    while i < len(ids):
        if ids[i] == im_start and ids[i + 1 : i + 1 + len(header)] == header:
            start = i + 1 + len(header)
            end = start
            while end < len(ids) and ids[end] != im_end:
                end += 1
            stop = end + 2 if end + 1 < len(ids) and ids[end + 1] == newline else end + 1
            labels[start:stop] = ids[start:stop]
            i = end
        i += 1
    return labels
