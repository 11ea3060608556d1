"""Entry point of the ``screenpilot`` command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from screenpilot.app.cli.exit_codes import EXIT_CODES, EXIT_USAGE, ExitCode

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
    "screenpilot.app.cli.export",
)

__all__ = ["COMMANDS", "EXIT_CODES", "EXIT_USAGE", "ExitCode", "build_parser", "main"]

EPILOG = """\
examples:
  screenpilot demo                       # the offline policy signs in to a bundled page
  screenpilot run 'click "Invoices"' --env fake
  screenpilot <command> --help           # every command has its own examples

configuration: flags > $SCREENPILOT_* variables > ./screenpilot.toml >
~/.config/screenpilot/config.toml > defaults; see the README's "Configuration".
exit codes: 0 success, 1 task failed, 2 usage or configuration error, 3 step budget spent,
4 time budget spent, 5 loop, 6 error, 130 aborted.
"""


def build_parser() -> argparse.ArgumentParser:
    """The full parser: every verb of :data:`COMMANDS` and the options all of them share."""
    from screenpilot._version import __version__
    from screenpilot.app.cli.parsing import HelpFormatter, Parser, add_common_options
    from screenpilot.app.cli.settings import verb_parsers

    parser = Parser(
        prog="screenpilot",
        description="GUI visual agents around Qwen3-VL: run tasks, workflows and benchmarks "
        "on browsers, desktops and Android devices.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"screenpilot {__version__}")
    add_common_options(parser, on_verb=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMANDS:
        importlib.import_module(module).add_parser(sub)
    for path, verb in verb_parsers(parser):
        verb.formatter_class = HelpFormatter
        if path:
            add_common_options(verb, on_verb=True)
    return parser


def _debug_requested(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("SCREENPILOT_DEBUG", "") not in ("", "0")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; every failure ends here as one line and a code."""
    import signal

    from screenpilot.app.cli.logs import reset_logging

    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(arguments)
    # restored on the way out, so that calling main() in a process leaves it as it was
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _main(arguments)
    except SystemExit as e:  # argparse: --help, --version, usage errors
        return e.code if isinstance(e.code, int) else (0 if e.code is None else EXIT_USAGE)
    except BaseException as e:
        from screenpilot.app.cli.failures import report

        return report(e, debug=debug)
    finally:
        reset_logging()
        _restore(handlers)


def _restore(handlers: dict[Any, Any]) -> None:
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        for signum, handler in handlers.items():
            if handler is not None:
                signal.signal(signum, handler)


def _main(argv: list[str]) -> int:
    from screenpilot.app.cli.common import choose_policy
    from screenpilot.app.cli.interrupt import raise_on_signals
    from screenpilot.app.cli.logs import configure_logging
    from screenpilot.app.cli.settings import apply_settings, current_layers

    raise_on_signals()  # SIGTERM too ends as "aborted" (130); verbs with runs install their own
    parser = build_parser()
    apply_settings(parser, current_layers())
    args = parser.parse_args(argv)
    configure_logging(
        args.verbose, quiet=bool(getattr(args, "quiet", False)) and not args.verbose, log_file=args.log_file
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    if "default_policy" in vars(args):
        args.policy = choose_policy(args)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
