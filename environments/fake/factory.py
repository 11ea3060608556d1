"""Build a fake environment from command-line style options."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.fake.env import FakeConfig, FakeEnvironment
from screenpilot.environments.fake.spec import AppSpec, DialogSpec, login_app
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options


class FakeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    app: str = "login"
    """``login`` (built in) or a YAML/JSON file holding an ``AppSpec``."""
    scale_factor: float = Field(default=1.0, gt=0)
    popup: float = Field(default=0.0, ge=0.0, le=1.0)
    """Chance per action that a cookie dialog pops up (once)."""
    seed: int = 0
    elements: bool = True


def load_app(ref: str) -> AppSpec:
    if ref == "login":
        return login_app()
    path = Path(ref)
    if not path.is_file():
        raise ConfigError(f"fake app {ref!r} is neither 'login' nor a file")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        return AppSpec.model_validate(data)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as e:
        # ValueError covers JSON syntax and pydantic's ValidationError
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ConfigError(f"fake app {ref}: not a valid app description: {first}") from None


def from_options(options: Mapping[str, Any]) -> FakeEnvironment:
    opts = validate_options(FakeOptions, options, what="the fake environment")
    app = load_app(opts.app)
    if opts.popup:
        app = app.model_copy(update={"dialog": DialogSpec(probability=opts.popup)})
    return FakeEnvironment(
        FakeConfig(app=app, scale_factor=opts.scale_factor, seed=opts.seed, expose_elements=opts.elements)
    )
