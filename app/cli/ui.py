"""``screenpilot ui``: the web UI (ground screenshots, live runs, reports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import DEFAULT_RUNS, parse_kv

LOOPBACK = ("127.0.0.1", "localhost", "::1")

EXAMPLES = """\
examples:
  screenpilot ui                          # http://127.0.0.1:7860; Ctrl+C stops it
  screenpilot ui --port 0 --runs results  # a free port, runs recorded and browsed in results/
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ui",
        help="start the web UI",
        description="Serve the web UI: ground a screenshot with a policy, start runs and watch them "
        "live, browse past runs and their reports. Needs the 'ui' extra. The forms start with the "
        "offline policy and, when Chromium is installed, the browser on a bundled demo page, so "
        "Start works with nothing changed.",
        epilog=EXAMPLES,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, local only)")
    p.add_argument("--port", type=int, default=7860, help="port; 0 picks a free one")
    p.add_argument("--runs", type=Path, default=DEFAULT_RUNS, metavar="DIR", help="runs directory")
    p.add_argument("--policy", default="offline", help="policy preselected in the forms")
    p.add_argument(
        "-P", "--policy-opt", action="append", metavar="KEY=VALUE", help="its options (repeatable)"
    )
    p.add_argument(
        "--env",
        help="environment preselected for live runs (default: browser when Chromium is installed, else fake)",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.app.cli.interrupt import raise_on_signals
    from screenpilot.tools.errors import ConfigError

    if not 0 <= args.port < 65536:
        raise ConfigError(f"--port must be within 0..65535 (0 picks a free one), got {args.port}")
    try:
        from screenpilot.app.ui.app import UISettings, create_app, default_environment
        from screenpilot.app.ui.server import bind, serve
    except ModuleNotFoundError as e:
        raise ConfigError(f"the web UI needs {e.name!r}: pip install 'screenpilot[ui]'") from e
    local = args.host in LOOPBACK
    settings = UISettings(
        runs_dir=args.runs,
        default_policy=args.policy,
        default_policy_options=parse_kv(args.policy_opt, "policy"),
        default_env=args.env or default_environment(),
        # binding beyond loopback means the user wants other hosts to reach it
        allowed_hosts=UISettings().allowed_hosts if local else ("*",),
    )
    sock = bind(args.host, args.port)
    port = sock.getsockname()[1]
    if not local:
        print(
            f"warning: serving on {args.host}, not only this machine: anyone who can reach port {port} "
            "can start agents that click and type here; use --host 127.0.0.1 unless the network is trusted",
            file=sys.stderr,
            flush=True,
        )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"screenpilot UI on http://{shown}:{port} (runs: {args.runs}); Ctrl+C stops it", flush=True)
    raise_on_signals()
    serve(create_app(settings), sock)
    return 0
