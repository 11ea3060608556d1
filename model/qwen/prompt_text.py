"""Load the versioned prompt text and render the tool signatures from it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import Size
from screenpilot.tools.errors import ConfigError

ToolName = Literal["computer_use", "mobile_use", "browser_use"]

DEFAULT_TEMPLATE = "qwen3vl_agent"


class PromptText(BaseModel):
    """Every piece of text a Qwen-VL prompt is built from.

    Attributes:
        version: Recorded in each run's manifest; changes whenever any text changes.
    """

    model_config = ConfigDict(frozen=True)

    version: str
    system_preamble: str
    tools_header: str
    tools_footer: str
    args_format: str
    response_format: str
    secrets_note: str
    tools: dict[str, dict[str, Any]]
    instruction: dict[str, str]
    history_step: str
    history_none: str
    history_separator_computer_use: str
    history_separator_mobile_use: str
    browser_state: str
    feedback: dict[str, str]
    grounding: dict[str, str]

    def fill(self, template: str, **values: object) -> str:
        """Substitute ``$name`` placeholders (every placeholder must be given)."""
        return Template(template).substitute({k: str(v) for k, v in values.items()})

    def tool_function(self, name: ToolName, display: Size) -> dict[str, Any]:
        """The function signature of one tool, in the cookbook's key order."""
        spec = self.tools[name]
        return {
            "type": "function",
            "function": {
                "name_for_human": name,
                "name": name,
                "description": self.fill(spec["description"], width=display.width, height=display.height),
                "parameters": spec["parameters"],
                "args_format": self.args_format,
            },
        }

    def tools_block(self, names: list[ToolName], display: Size) -> str:
        """The ``# Tools`` section with one JSON signature per line, as the cookbooks render it."""
        lines = [json.dumps(self.tool_function(n, display), ensure_ascii=False) for n in names]
        return self.tools_header + "\n" + "\n".join(lines) + "\n" + self.tools_footer


@cache
def load_prompt_text(name: str = DEFAULT_TEMPLATE) -> PromptText:
    """Read ``model/qwen/templates/<name>.yaml`` from the installed package.

    Raises:
        ConfigError: When no such template ships with the package or it is malformed.
    """
    resource = files("screenpilot.model.qwen.templates").joinpath(f"{name}.yaml")
    if not resource.is_file():
        raise ConfigError(f"no prompt template {name!r} ships with screenpilot")
    data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return PromptText.model_validate(data)
