"""Prompt text of a reference style (``cookbook``, ``osworld``), shipped as YAML package data."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import Size
from screenpilot.tools.errors import ConfigError


class ReferenceText(BaseModel):
    """Every string a reference style renders, copied from its source.

    Attributes:
        version: Recorded in each run's manifest.
        system: The system turn, with ``$tools`` where the tool lines go.
        function_keys: Keys of each tool's function object, in the source's order.
        ensure_ascii: Whether the source's ``json.dumps`` escapes non-ASCII characters.
        args_format: The ``args_format`` value, for sources that write one.
        tools: ``{name: {description, parameters}}``; descriptions take
            ``${width}x${height}``.
        mobile_system / mobile_tools: The same for ``mobile_use``, where the source has
            its own system turn.
        texts: The style's turn layout strings.
    """

    model_config = ConfigDict(frozen=True)

    version: str
    system: str
    function_keys: tuple[str, ...]
    ensure_ascii: bool
    args_format: str = ""
    tools: dict[str, dict[str, Any]]
    mobile_system: str = ""
    mobile_tools: dict[str, dict[str, Any]] = {}
    texts: dict[str, str]

    def fill(self, template: str, **values: object) -> str:
        """Substitute ``$name`` placeholders (every placeholder must be given)."""
        return Template(template).substitute({k: str(v) for k, v in values.items()})

    def tool_line(self, name: str, spec: dict[str, Any], display: Size) -> str:
        """One tool's JSON line, with the source's keys, order and escaping."""
        values: dict[str, Any] = {
            "name_for_human": name,
            "name": name,
            "description": self.fill(spec["description"], width=display.width, height=display.height),
            "parameters": spec["parameters"],
            "args_format": self.args_format,
        }
        function = {key: values[key] for key in self.function_keys}
        return json.dumps({"type": "function", "function": function}, ensure_ascii=self.ensure_ascii)

    def render_system(self, template: str, lines: list[str]) -> str:
        """``template`` with the tool lines in place of ``$tools``."""
        return Template(template).substitute(tools="\n".join(lines))


@cache
def load_reference_text(name: str) -> ReferenceText:
    """Read ``model/qwen/templates/<name>.yaml``.

    Raises:
        ConfigError: When the file does not ship with the package or is malformed.
    """
    resource = files("screenpilot.model.qwen.templates").joinpath(f"{name}.yaml")
    if not resource.is_file():
        raise ConfigError(f"no prompt text {name!r} ships with screenpilot")
    return ReferenceText.model_validate(yaml.safe_load(resource.read_text(encoding="utf-8")))
