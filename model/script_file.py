"""A policy that replays actions from a JSON or JSONL file (for demos and tests)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import parse_action
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options


class ScriptOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: Path


def load_script(path: Path) -> list[Any]:
    """Read actions (one per step; a list is several actions in one step)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read the action script {path}: {e}") from None
    try:
        items = (
            json.loads(text)
            if text.lstrip().startswith("[")
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path}:{e.lineno}:{e.colno}: not JSON: {e.msg}") from None
    except RecursionError:
        raise ConfigError(f"{path}: the JSON is nested too deeply") from None
    if not isinstance(items, list):
        raise ConfigError(f"{path}: an action script is a JSON list or one action per line")
    try:
        return [
            [parse_action(a) for a in item] if isinstance(item, list) else parse_action(item)
            for item in items
        ]
    except ValidationError as e:
        first = str(e).splitlines()[0]
        raise ConfigError(
            f"{path}: not a valid action script: {first} ({e.error_count()} problems)"
        ) from None


def from_options(options: Mapping[str, Any]) -> ScriptedPolicy:
    opts = validate_options(ScriptOptions, options, what="the script policy")
    if not opts.file.is_file():
        raise ConfigError(f"script file {opts.file} does not exist")
    return ScriptedPolicy(load_script(opts.file), name=f"script:{opts.file.name}")
