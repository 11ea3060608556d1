"""Option parsing shared by subcommands."""

from __future__ import annotations

import argparse
import os
from typing import Any


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


def add_env_arguments(parser: argparse.ArgumentParser, *, default_env: str = "fake") -> None:
    g = parser.add_argument_group("environment")
    g.add_argument(
        "--env",
        default=default_env,
        help=f"environment name (default: {default_env}; see 'screenpilot list')",
    )
    g.add_argument("--url", help="browser: page to open first")
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
        action="append",
        help="OpenAI-compatible base URL; repeat it (or give a comma list) for replicas of one model",
    )
    g.add_argument("--model-path", help="local checkpoint directory")
    g.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="read the model server's API key from this environment variable",
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


def policy_options(args: argparse.Namespace) -> dict[str, Any]:
    opts = parse_kv(args.policy_opt, "policy")
    for key in ("model", "endpoint", "model_path", *ROLE_FLAGS):
        if getattr(args, key, None):
            opts[key] = getattr(args, key)
    if isinstance(opts.get("endpoint"), list):  # --endpoint repeated: replicas of one model
        opts["endpoint"] = ",".join(opts["endpoint"])
    var = getattr(args, "api_key_env", None)
    if var:
        # Keys are read here, at the edge, so that no library code touches the environment.
        if var not in os.environ:
            from screenpilot.tools.errors import ConfigError

            raise ConfigError(f"--api-key-env {var}: the environment variable is not set")
        opts["api_key"] = os.environ[var]
    return opts
