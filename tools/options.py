"""Validate factory options into a config model with errors that read well on a terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from screenpilot.tools.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def validate_options(model: type[M], options: Mapping[str, Any], *, what: str) -> M:
    """``model.model_validate(options)``, turning validation errors into :class:`ConfigError`."""
    try:
        return model.model_validate(dict(options))
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(options)'}: {err['msg']}" for err in e.errors()
        )
        accepted = ", ".join(model.model_fields)
        raise ConfigError(f"bad options for {what}: {problems} (accepted: {accepted})") from None
