"""Reading an export back: its samples, their metadata, and their answers as actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from screenpilot.benchmarks.finetune.sample import SampleMeta
from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.parser import parse_response
from screenpilot.tools.actions import Action


def entries(out: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every qwen-vl entry by id, with its split."""
    found = {}
    for split in ("train", "val"):
        for item in json.loads((out / f"{split}.json").read_text(encoding="utf-8")):
            found[item["id"]] = (split, item)
    return found


def chat_lines(out: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every chat JSONL line by id, with its split."""
    found = {}
    for split in ("train", "val"):
        for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            found[item["id"]] = (split, item)
    return found


def metas(out: Path) -> dict[str, dict[str, Any]]:
    """``meta.jsonl`` by id."""
    lines = (out / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    return {m["id"]: m for m in map(json.loads, lines)}


def answer_actions(answer: str, meta: dict[str, Any]) -> tuple[Action, ...]:
    """The answer read back by the project's own Qwen parser and action mapping."""
    m = SampleMeta.model_validate({k: v for k, v in meta.items() if k not in ("id", "split", "task")})
    mapper = CoordinateMapper(m.convention, m.geometry, m.model_image)
    ctx = MapContext(mapper=mapper, tools=m.tools, secrets=m.secrets)
    return to_actions(parse_response(answer).calls, ctx)


def every_file(*roots: Path) -> list[Path]:
    return [p for root in roots for p in sorted(root.rglob("*")) if p.is_file()]
