"""Variables in scope while a workflow (or a called one) runs."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screenpilot.tools.errors import ConfigError
from screenpilot.workflows.loader import LoadedWorkflow
from screenpilot.workflows.schema import Defaults, Observer
from screenpilot.workflows.template import lookup_path, render


def coerce_like(default: Any, raw: Any) -> Any:
    """Turn a ``--var`` string into the type of the variable's default (int, float, bool)."""
    if not isinstance(raw, str) or default is None or isinstance(default, str):
        return raw
    try:
        if isinstance(default, bool):
            lowered = raw.strip().lower()
            if lowered not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
                raise ValueError(raw)
            return lowered in ("true", "yes", "1", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ConfigError(f"{raw!r} is not a valid {type(default).__name__}") from None
    return raw


def bind_variables(defaults: Mapping[str, Any], overrides: Mapping[str, Any], *, what: str) -> dict[str, Any]:
    """The workflow's defaults with overrides applied.

    Raises:
        ConfigError: For an override of a variable the workflow does not declare (a typo
            would otherwise be silently ignored) or a value of the wrong type.
    """
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        known = ", ".join(sorted(defaults)) or "none"
        raise ConfigError(f"{what} has no variable {', '.join(map(repr, unknown))} (declared: {known})")
    out = dict(defaults)
    for key, raw in overrides.items():
        try:
            out[key] = coerce_like(defaults[key], raw)
        except ConfigError as e:
            raise ConfigError(f"variable {key!r}: {e}") from None
    return out


def read_csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """Rows of a CSV file with a header line, as mappings.

    Raises:
        ConfigError: When the file does not exist or has no header.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            rows = [dict(r) for r in reader]
            if reader.fieldnames is None:
                raise ConfigError(f"CSV file {path} is empty (it needs a header line)")
    except FileNotFoundError:
        raise ConfigError(f"CSV file {path} does not exist") from None
    return rows


@dataclass
class Frame:
    """One running workflow: its file, variables, defaults and active observers.

    Attributes:
        loaded: The workflow and its location.
        variables: Current values (loop variables and extracted values included).
        observers: Observers active here (a called workflow adds its own to the caller's).
        prefix: Step path prefix used in messages and events (``login > steps``).
        depth: Nesting of ``call``.
    """

    loaded: LoadedWorkflow
    variables: dict[str, Any]
    observers: list[Observer] = field(default_factory=list)
    prefix: str = "steps"
    depth: int = 0

    @property
    def defaults(self) -> Defaults:
        return self.loaded.workflow.defaults

    def lookup(self, path: tuple[str, ...]) -> Any:
        return lookup_path(self.variables, path)

    def render(self, value: Any) -> Any:
        return render(value, self.lookup)
