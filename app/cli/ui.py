"""``screenpilot ui``: the web UI (ground screenshots, live runs, reports)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import parse_kv


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ui",
        help="start the web UI",
        description="Serve the web UI: ground a screenshot with a policy, start runs and watch them "
        "live, browse past runs and their reports. Needs the 'ui' extra.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, local only)")
    p.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    p.add_argument("--runs", type=Path, default=Path("runs"), help="runs directory (default: runs)")
    p.add_argument("--policy", default="script", help="policy preselected in the forms")
    p.add_argument(
        "-P", "--policy-opt", action="append", metavar="KEY=VALUE", help="its options (repeatable)"
    )
    p.add_argument("--env", default="fake", help="environment preselected for live runs")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.tools.errors import ConfigError

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be within 1..65535, got {args.port}")
    try:
        from screenpilot.app.ui.app import UISettings, create_app
        from screenpilot.app.ui.server import serve
    except ModuleNotFoundError as e:
        raise ConfigError(f"the web UI needs {e.name!r}: pip install 'screenpilot[ui]'") from e
    settings = UISettings(
        runs_dir=args.runs,
        default_policy=args.policy,
        default_policy_options=parse_kv(args.policy_opt, "policy"),
        default_env=args.env,
        # binding beyond loopback means the user wants other hosts to reach it
        allowed_hosts=UISettings().allowed_hosts
        if args.host in ("127.0.0.1", "localhost", "::1")
        else ("*",),
    )
    print(
        f"screenpilot UI on http://{args.host}:{args.port} (runs: {args.runs}); Ctrl+C stops it", flush=True
    )
    serve(create_app(settings), host=args.host, port=args.port)
    return 0
