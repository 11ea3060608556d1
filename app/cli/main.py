"""Entry point of the ``screenpilot`` command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each subcommand lives in its own module exposing ``add_parser(subparsers)``; the module
# must keep heavy imports inside its handler so that building the parser stays cheap.
COMMANDS: tuple[str, ...] = (
    "screenpilot.app.cli.run",
    "screenpilot.app.cli.listing",
    "screenpilot.app.cli.ground",
    "screenpilot.app.cli.report",
    "screenpilot.app.cli.ui",
    "screenpilot.app.cli.demo",
    "screenpilot.app.cli.bench",
    "screenpilot.app.cli.workflow",
    "screenpilot.app.cli.doctor",
    "screenpilot.app.cli.video",
    "screenpilot.app.cli.ask",
)

EXIT_CODES = {
    "success": 0,
    "failure": 1,
    "truncated": 3,
    "timeout": 4,
    "loop": 5,
    "error": 6,
    "aborted": 130,
}
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    from screenpilot._version import __version__

    parser = argparse.ArgumentParser(
        prog="screenpilot",
        description="GUI visual agents around Qwen3-VL: run tasks, workflows and benchmarks "
        "on browsers, desktops and Android devices.",
    )
    parser.add_argument("--version", action="version", version=f"screenpilot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    from screenpilot.tools.errors import ConfigError

    if "default_policy" in vars(args):
        from screenpilot.app.cli.common import choose_policy

        args.policy = choose_policy(args)
    try:
        code: int = args.handler(args)
    except ConfigError as e:
        print(f"screenpilot: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
