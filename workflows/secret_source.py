"""Where workflow secrets come from: environment variables and a secrets file.

The library never reads the process environment itself; the CLI passes ``os.environ``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from screenpilot.tools.errors import ConfigError

ENV_PREFIX = "SCREENPILOT_SECRET_"


def env_var(name: str) -> str:
    """The environment variable holding secret ``name`` (``db.password`` -> ``..._DB_PASSWORD``)."""
    return ENV_PREFIX + "".join(c if c.isalnum() else "_" for c in name).upper()


def read_secrets_file(path: Path) -> dict[str, str]:
    """A secrets file: a YAML or JSON mapping, or ``NAME=value`` lines (``#`` comments).

    Raises:
        ConfigError: When the file is missing or not in one of these forms. The message
            never contains a value.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"secrets file {path} does not exist") from None
    if path.suffix in (".yaml", ".yml", ".json"):
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError):
            raise ConfigError(f"secrets file {path} is not valid {path.suffix[1:].upper()}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"secrets file {path} must hold a mapping of names to values")
        return {str(k): str(v) for k, v in data.items() if v is not None}
    out: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"secrets file {path}: line {number} is not NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip().removeprefix("export ").strip()] = value
    return out


def gather_secrets(
    names: Sequence[str], *, environ: Mapping[str, str], secrets_file: Path | None = None
) -> dict[str, str]:
    """Values for ``names``: ``$SCREENPILOT_SECRET_<NAME>`` first, then the secrets file.

    Raises:
        ConfigError: Naming every secret that has no value (never a value).
    """
    from_file = read_secrets_file(secrets_file) if secrets_file is not None else {}
    values: dict[str, str] = {}
    missing = []
    for name in names:
        value = environ.get(env_var(name)) or from_file.get(name)
        if value:
            values[name] = value
        else:
            missing.append(f"{name} (set ${env_var(name)} or put it in --secrets-file)")
    if missing:
        raise ConfigError("missing secrets: " + "; ".join(missing))
    return values
