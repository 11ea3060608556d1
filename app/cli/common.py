"""Option parsing shared by subcommands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from screenpilot.app.cli.parsing import positive_float, positive_int

DEFAULT_ENV = "browser"
"""The environment every verb that runs a task starts in unless told otherwise."""
DEFAULT_RUNS = Path("runs")
"""Where every verb records its runs unless told otherwise (``--out``)."""
DEFAULT_MAX_STEPS = 30


def parse_kv(items: list[str] | None, what: str) -> dict[str, Any]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}`` (pydantic coerces the types later)."""
    from screenpilot.tools.errors import ConfigError

    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"{what} option {item!r} is not KEY=VALUE")
        out[key.strip().replace("-", "_")] = value
    return out


def add_env_arguments(parser: argparse.ArgumentParser, *, default_env: str = DEFAULT_ENV) -> None:
    g = parser.add_argument_group("environment")
    g.add_argument(
        "--env",
        default=default_env,
        help=f"environment name (default: {default_env}; see 'screenpilot list')",
    )
    g.add_argument(
        "--url", help="browser: page to open first: a URL, or a local HTML file (served on 127.0.0.1)"
    )
    g.add_argument(
        "--allow-domain",
        action="append",
        dest="allow_domains",
        metavar="DOMAIN",
        help="restrict navigation to these domains (repeatable)",
    )
    g.add_argument("--headed", action="store_true", help="browser: show the window")
    g.add_argument("--serial", help="android: device serial")
    g.add_argument(
        "-E", "--env-opt", action="append", metavar="KEY=VALUE", help="extra environment option (repeatable)"
    )


class JoinRepeats(argparse.Action):
    """A flag that may be repeated: the values are joined with commas, and the first one given
    replaces the default (a configured endpoint), so ``--endpoint A --endpoint B`` is ``A,B``."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: Any = None
    ) -> None:
        seen = f"_{self.dest}_given"
        current = getattr(namespace, self.dest) if getattr(namespace, seen, False) else None
        setattr(namespace, self.dest, f"{current},{values}" if current else values)
        setattr(namespace, seen, True)


def add_policy_arguments(parser: argparse.ArgumentParser, *, default_policy: str) -> None:
    g = parser.add_argument_group("policy")
    shown = f"{default_policy} otherwise" if default_policy else "none otherwise"
    g.add_argument(
        "--policy",
        help=f"policy name (default: qwen3vl with --endpoint, qwen3vl-local with --model-path, "
        f"{shown}; see 'screenpilot list')",
    )
    parser.set_defaults(default_policy=default_policy)
    g.add_argument("--model", help="model name (HTTP) or registry id")
    g.add_argument(
        "--endpoint",
        action=JoinRepeats,
        help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (default: $OPENAI_BASE_URL); "
        "repeat it (or give a comma list) for replicas of one model",
    )
    g.add_argument("--model-path", help="local checkpoint directory")
    g.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="read the model server's API key from this environment variable (default: $OPENAI_API_KEY)",
    )
    g.add_argument(
        "-P", "--policy-opt", action="append", metavar="KEY=VALUE", help="extra policy option (repeatable)"
    )
    g.add_argument(
        "--planner-endpoint", metavar="URL", help="planner policy: the planning chat model's server"
    )
    g.add_argument("--planner-model", metavar="NAME", help="planner policy: the planning chat model")
    g.add_argument(
        "--grounder-endpoint", metavar="URL", help="planner policy: a Qwen3-VL server for grounding"
    )
    g.add_argument("--grounder-model", metavar="NAME", help="planner policy: the grounding model")


ROLE_FLAGS = ("planner_endpoint", "planner_model", "grounder_endpoint", "grounder_model")
"""Flags of the planner policy's two models; any of them selects that policy."""


def add_budget_arguments(
    g: argparse._ArgumentGroup, *, max_steps: int = DEFAULT_MAX_STEPS, max_seconds: float = 600.0
) -> None:
    """``--max-steps``, ``--max-seconds`` and ``--model-timeout`` with help and checked values."""
    g.add_argument("--max-steps", type=positive_int, default=max_steps, help="step budget; ends as truncated")
    g.add_argument(
        "--max-seconds", type=positive_float, default=max_seconds, help="wall-clock budget; ends as timeout"
    )
    g.add_argument(
        "--model-timeout",
        type=positive_float,
        default=45.0,
        help="seconds one model call may take (a step gives up after about a minute in all)",
    )


def add_run_output_arguments(g: argparse._ArgumentGroup) -> None:
    """``--out``, ``--abort-file``, ``--json`` and ``--quiet`` of the verbs that record runs."""
    g.add_argument(
        "--out", type=Path, default=DEFAULT_RUNS, metavar="DIR", help="directory runs are recorded in"
    )
    g.add_argument("--abort-file", type=Path, metavar="FILE", help="abort the run when this file appears")
    g.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (status, reason, answer, steps, run_dir, timings) instead of text",
    )
    g.add_argument("--quiet", action="store_true", help="print only the result")


def add_secret_arguments(g: argparse._ArgumentGroup) -> None:
    """``--secret`` and ``--secrets-file``: the same two ways for every verb that runs."""
    g.add_argument(
        "--secret",
        action="append",
        metavar="NAME",
        help="make secret NAME available: $SCREENPILOT_SECRET_<NAME> or --secrets-file (repeatable)",
    )
    g.add_argument(
        "--secrets-file",
        type=Path,
        metavar="FILE",
        help="YAML/JSON mapping or NAME=value lines; $SCREENPILOT_SECRET_<NAME> takes precedence",
    )


def gather_cli_secrets(
    args: argparse.Namespace, required: list[str] | tuple[str, ...] = ()
) -> dict[str, str]:
    """Values of the ``--secret`` names, ``required`` names and every name in ``--secrets-file``.

    Raises:
        ConfigError: Naming each secret without a value (never a value).
    """
    from screenpilot.workflows.secret_source import gather_secrets, read_secrets_file

    names = list(dict.fromkeys([*(getattr(args, "secret", None) or []), *required]))
    secrets_file = getattr(args, "secrets_file", None)
    values = read_secrets_file(secrets_file) if secrets_file is not None else {}
    found = gather_secrets(names, environ=os.environ, secrets_file=secrets_file)
    return {**values, **found}


def choose_policy(args: argparse.Namespace) -> str:
    """The policy a command runs: ``--policy``, else the one the model flags imply
    (``--planner-*`` / ``--grounder-*``: planner + grounder, ``--endpoint``: a served
    Qwen3-VL, ``--model-path``: a local checkpoint), else the command's default."""
    if args.policy:
        return str(args.policy)
    if any(getattr(args, key, None) for key in ROLE_FLAGS):
        return "planner"
    if getattr(args, "endpoint", None):
        return "qwen3vl"
    if getattr(args, "model_path", None):
        return "qwen3vl-local"
    return str(args.default_policy)


def env_options(args: argparse.Namespace) -> dict[str, Any]:
    opts = parse_kv(args.env_opt, "environment")
    for key in ("url", "serial"):
        if getattr(args, key, None):
            opts[key] = getattr(args, key)
    if getattr(args, "allow_domains", None):
        opts["allowed_domains"] = args.allow_domains
    if getattr(args, "headed", False):
        opts["headless"] = False
    return opts


def _talks_http(policy: str | None) -> bool:
    from screenpilot.agent.registry import registry
    from screenpilot.tools.errors import ConfigError

    if not policy:
        return False
    try:
        return registry("policies").spec(policy).extra == "http"
    except ConfigError:
        return False


def policy_options(args: argparse.Namespace) -> dict[str, Any]:
    opts = parse_kv(args.policy_opt, "policy")
    for key in ("model", "endpoint", "model_path", *ROLE_FLAGS):
        if getattr(args, key, None):
            opts[key] = getattr(args, key)
    var = getattr(args, "api_key_env", None)
    # Keys are read here, at the edge, so that no library code touches the environment.
    if var:
        if var not in os.environ:
            from screenpilot.tools.errors import ConfigError

            raise ConfigError(f"--api-key-env {var}: the environment variable is not set")
        opts["api_key"] = os.environ[var]
    if _talks_http(getattr(args, "policy", None)):
        # the conventions of OpenAI's own clients, as the last resort
        if "endpoint" not in opts and os.environ.get("OPENAI_BASE_URL"):
            opts["endpoint"] = os.environ["OPENAI_BASE_URL"]
        if "api_key" not in opts and os.environ.get("OPENAI_API_KEY"):
            opts["api_key"] = os.environ["OPENAI_API_KEY"]
    return opts


LATEST = "latest"


def resolve_run_dir(path: Path) -> Path:
    """``DIR/latest`` names the newest run in ``DIR`` (when no file is called ``latest``).

    Raises:
        ConfigError: ``DIR/latest`` and ``DIR`` holds no run.
    """
    if path.name != LATEST or path.exists():
        return path
    from screenpilot.tools.errors import ConfigError

    runs = [d for d in path.parent.glob("*/manifest.json")] if path.parent.is_dir() else []
    if not runs:
        raise ConfigError(f"{path}: there is no run in {path.parent} yet")
    return max(runs, key=lambda m: (m.stat().st_mtime, m.parent.name)).parent
