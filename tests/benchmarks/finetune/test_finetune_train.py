"""An exported set trains: the recipe's way of reading it, through the real Qwen3-VL processor,
into a few optimizer steps of the tiny random Qwen3-VL on the CPU."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest

from screenpilot.benchmarks.finetune.export import FinetuneExportConfig, export_finetune
from screenpilot.model.backends.hf_processor import load_processor
from screenpilot.model.qwen.imaging import budget
from tests.benchmarks.finetune.recipe import IGNORE_INDEX, assistant_labels, build_messages

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.model]

STEPS = 4


def _batch(processor: Any, items: list[dict[str, Any]], data_path: Path) -> dict[str, Any]:
    """Tokenise entries as the recipe does and collate them (right padding, -100 labels)."""
    import torch

    tok = processor.tokenizer
    header = tok("assistant\n", add_special_tokens=False)["input_ids"]
    newline = tok("\n", add_special_tokens=False)["input_ids"][-1]
    ids_ = {t: tok.convert_tokens_to_ids(t) for t in ("<|im_start|>", "<|im_end|>")}
    rows, labels, pixels, grids, kinds = [], [], [], [], []
    for item in items:
        messages = build_messages(item, data_path)
        out = processor.apply_chat_template(messages, tokenize=True, return_dict=True, return_tensors="pt")
        ids = out["input_ids"][0].tolist()
        rows.append(ids)
        # which tokens are image tokens, for the multimodal rotary positions (newer processors)
        kinds.append(out["mm_token_type_ids"][0].tolist() if "mm_token_type_ids" in out else None)
        labels.append(assistant_labels(ids, ids_["<|im_start|>"], header, ids_["<|im_end|>"], newline))
        pixels.append(out["pixel_values"])
        grids.append(out["image_grid_thw"])
    width = max(len(r) for r in rows)
    pad = tok.pad_token_id
    input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
    extra = {}
    if all(k is not None for k in kinds):
        extra["mm_token_type_ids"] = torch.tensor([k + [0] * (width - len(k)) for k in kinds])
    return extra | {
        "input_ids": input_ids,
        "attention_mask": torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows]),
        "labels": torch.tensor([lab + [IGNORE_INDEX] * (width - len(lab)) for lab in labels]),
        "pixel_values": torch.cat(pixels),
        "image_grid_thw": torch.cat(grids),
    }


def test_an_exported_set_trains_the_tiny_qwen3vl(recorded, tiny_qwen_dir, tmp_path):
    import torch
    from transformers import AutoModelForImageTextToText

    out = tmp_path / "set"
    export_finetune([recorded["miniwob"]], FinetuneExportConfig(out=out, val_fraction=0))
    items = json.loads((out / "train.json").read_text(encoding="utf-8"))
    # the longest conversation: several images, history turns, more than one answer (one
    # sample keeps the CPU time down: the tiny tokenizer spends ~4,000 tokens on the prompt)
    items = sorted(items, key=lambda i: len(i["conversations"]))[-1:]
    assert len(items[0]["conversations"]) >= 6

    processor = load_processor(str(tiny_qwen_dir))
    native = budget("native")  # what the recipe's --min_pixels / --max_pixels should say
    processor.image_processor.size = {
        "shortest_edge": native.min_pixels(32),
        "longest_edge": native.max_pixels(32),
    }
    batch = _batch(processor, items, out)

    # the processor kept every image at the exported size: no second resize
    sizes = []
    for item in items:
        for path in item["image"]:
            from PIL import Image

            with Image.open(out / path) as img:
                sizes.append([1, img.height // 16, img.width // 16])
    assert batch["image_grid_thw"].tolist() == sizes
    # only the assistant turns are learnt: their tokens, and nothing of the prompt or images
    learnt = (batch["labels"] != IGNORE_INDEX).sum().item()
    answers = sum(len(c["value"]) for i in items for c in i["conversations"] if c["from"] == "gpt")
    assert 0 < learnt < answers + 8 * len(items)
    image_pad = processor.tokenizer.convert_tokens_to_ids("<|image_pad|>")
    assert not ((batch["labels"] == image_pad).any())

    torch.manual_seed(0)
    model = AutoModelForImageTextToText.from_pretrained(str(tiny_qwen_dir), dtype=torch.float32)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(STEPS):
        loss = model(**batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print("loss curve:", " ".join(f"{v:.3f}" for v in losses))
    assert all(math.isfinite(v) for v in losses)
    assert all(b < a for a, b in itertools.pairwise(losses)), losses  # down at every step
    assert losses[-1] < 0.9 * losses[0], losses
