"""Defaults from a configuration file and environment variables, applied to the parser.

Precedence, highest first: a flag on the command line, an environment variable
(:data:`ENV_VARS`), the project file ``./screenpilot.toml``, the user file
``$XDG_CONFIG_HOME/screenpilot/config.toml`` (``~/.config/...``), the built-in default.
``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` come last of all, and only for policies that
talk to a server (see :func:`screenpilot.app.cli.common.policy_options`).

A file's keys are the long flag names of the verbs, with ``-`` or ``_``::

    endpoint = "http://127.0.0.1:8000/v1"     # every verb with --endpoint
    model = "Qwen/Qwen3-VL-8B-Instruct"

    [run]                                       # only `screenpilot run`
    env = "browser"
    max-steps = 20
    policy-opt = { budget = "medium" }          # a table for a KEY=VALUE flag

    [bench.miniwob]
    workers = 2

Settings reach argparse as parser defaults, so every flag a verb has is configurable
without a list to maintain; a key no verb knows is an error with a suggestion.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

PROJECT_FILE = "screenpilot.toml"
ENV_VARS: dict[str, str] = {
    "SCREENPILOT_ENDPOINT": "endpoint",
    "SCREENPILOT_MODEL": "model",
    "SCREENPILOT_MODEL_PATH": "model_path",
    "SCREENPILOT_POLICY": "policy",
    "SCREENPILOT_ENV": "env",
    "SCREENPILOT_API_KEY_ENV": "api_key_env",
}
"""Environment variables that set a flag's default, by the flag's destination."""


@dataclass(frozen=True)
class Layer:
    """Settings from one place: top-level values and per-verb sections (``"bench.miniwob"``)."""

    source: str
    values: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)


def user_file(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "screenpilot" / "config.toml"


def load_layers(cwd: Path, environ: Mapping[str, str]) -> list[Layer]:
    """Every settings layer, lowest precedence first."""
    layers = [_read(path) for path in (user_file(environ), cwd / PROJECT_FILE) if path.is_file()]
    from_env = {dest: environ[var] for var, dest in ENV_VARS.items() if environ.get(var)}
    if from_env:
        layers.append(Layer("environment", from_env))
    return layers


def _read(path: Path) -> Layer:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise _error(f"{path} is not valid TOML: {e}") from None
    values = {k: v for k, v in data.items() if not isinstance(v, dict) or _is_options(k)}
    sections: dict[str, dict[str, Any]] = {}

    def collect(prefix: str, table: dict[str, Any]) -> None:
        flat = {k: v for k, v in table.items() if not isinstance(v, dict) or _is_options(k)}
        sections[prefix] = flat
        for k, v in table.items():
            if isinstance(v, dict) and not _is_options(k):
                collect(f"{prefix}.{k}", v)

    for key, value in data.items():
        if isinstance(value, dict) and not _is_options(key):
            collect(key, value)
    return Layer(str(path), values, sections)


def _error(message: str) -> Exception:
    # imported here: the error tree's package pulls in pydantic, which --help does without
    from screenpilot.tools.errors import ConfigError

    return ConfigError(message)


def _is_options(key: str) -> bool:
    return _dest(key).endswith("_opt")


def _dest(key: str) -> str:
    return key.replace("-", "_")


def verb_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """The parser and every sub-verb parser, with the verb path (``("bench", "miniwob")``)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from verb_parsers(sub, (*path, name))


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    skip = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    return {a.dest: a for a in parser._actions if a.option_strings and not isinstance(a, skip)}


def apply_settings(parser: argparse.ArgumentParser, layers: list[Layer]) -> None:
    """Set each verb's defaults from ``layers`` (later layers win).

    Raises:
        ConfigError: For a key or section no verb has, or a value outside a flag's choices.
    """
    verbs = dict(verb_parsers(parser))
    every_dest = {d for p in verbs.values() for d in _options(p)}
    for layer in layers:
        _check(layer, verbs, every_dest)
    for path, verb in verbs.items():
        actions = _options(verb)
        defaults: dict[str, Any] = {}
        for layer in layers:
            scoped = [layer.values] + [
                layer.sections.get(".".join(path[:n]), {}) for n in range(1, len(path) + 1)
            ]
            for table in scoped:
                for key, value in table.items():
                    dest = _dest(key)
                    if dest in actions:
                        defaults[dest] = _convert(actions[dest], value, layer.source, key)
        if defaults:
            verb.set_defaults(**defaults)


def _check(layer: Layer, verbs: dict[tuple[str, ...], argparse.ArgumentParser], every: set[str]) -> None:
    names = {".".join(p) for p in verbs if p}
    for section, table in layer.sections.items():
        if section not in names:
            raise _error(f"{layer.source}: unknown section [{section}]{_suggest(section, names)}")
        known = {d for p, v in verbs.items() if ".".join(p).startswith(section) for d in _options(v)}
        for key in table:
            if _dest(key) not in known:
                raise _error(
                    f"{layer.source}: [{section}] has no setting {key!r}{_suggest(_dest(key), known)}"
                )
    for key in layer.values:
        if _dest(key) not in every:
            raise _error(f"{layer.source}: unknown setting {key!r}{_suggest(_dest(key), every)}")


def _convert(action: argparse.Action, value: Any, source: str, key: str) -> Any:
    if isinstance(value, dict):
        value = [f"{k}={v}" for k, v in value.items()]
    if isinstance(action, argparse._AppendAction) and not isinstance(value, list):
        value = [value]
    if action.choices is not None and value not in action.choices:
        raise _error(
            f"{source}: {key} = {value!r} is not one of {', '.join(map(str, action.choices))}"
            f"{_suggest(str(value), {str(c) for c in action.choices})}"
        )
    if isinstance(value, str) and action.type is not None and callable(action.type):
        try:
            return action.type(value)
        except (TypeError, ValueError, argparse.ArgumentTypeError) as e:
            raise _error(f"{source}: {key} = {value!r}: {e}") from None
    return value


def _suggest(word: str, choices: set[str] | frozenset[str]) -> str:
    close = get_close_matches(word, sorted(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def suggestion(word: str, choices: set[str] | frozenset[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    return _suggest(word, choices)


def current_layers() -> list[Layer]:
    """The layers for this process: its working directory and environment."""
    return load_layers(Path.cwd(), os.environ)
