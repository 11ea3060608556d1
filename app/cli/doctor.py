"""``screenpilot doctor``: is this desktop ready for an agent, and if not, how to fix it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from screenpilot.app.cli.common import parse_kv

_MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "doctor",
        help="check the desktop: display, capture, input, scale factor, calibration",
        description="Check that the desktop environment can see and click correctly; prints what "
        "is wrong and how to fix it. Exits 1 when a check fails.",
        epilog="examples:\n  screenpilot doctor                    # the display in $DISPLAY\n"
        "  screenpilot doctor --display :1 --no-calibration\n",
    )
    p.add_argument("--display", help="X11 display (default: $DISPLAY)")
    p.add_argument("--monitor", type=int, default=1, help="mss monitor index (0 = all monitors)")
    p.add_argument("--no-calibration", action="store_true", help="skip the click calibration window")
    p.add_argument(
        "-E", "--env-opt", action="append", metavar="KEY=VALUE", help="extra desktop option (repeatable)"
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    import os

    from screenpilot.environments.desktop.config import DesktopConfig
    from screenpilot.environments.desktop.doctor import run_checks
    from screenpilot.tools.options import validate_options

    opts = parse_kv(args.env_opt, "environment")
    opts["display"] = args.display or opts.get("display") or os.environ.get("DISPLAY")
    opts["monitor"] = args.monitor
    try:
        config = validate_options(DesktopConfig, opts, what="the desktop environment")
        checks = run_checks(config, calibrate=not args.no_calibration)
    except ModuleNotFoundError as e:
        print(f"FAIL  dependencies: {e.name} is missing", file=sys.stderr)
        print("      fix: pip install 'screenpilot[desktop]'", file=sys.stderr)
        return 1
    for check in checks:
        print(f"{_MARK[check.level]}  {check.name}: {check.detail}")
        if check.fix:
            print(f"      fix: {check.fix}")
    failed = [c for c in checks if c.level == "fail"]
    print(
        f"{len(checks) - len(failed)}/{len(checks)} checks passed"
        + (" (with warnings)" if any(c.level == "warn" for c in checks) else "")
    )
    return 1 if failed else 0
