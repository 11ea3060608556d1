"""The argument parser every verb is built with: help that states defaults, "did you mean"
for mistyped verbs, choices and flags, value types that reject nonsense early, and the
options every verb shares (``-v``, ``--log-file``, ``--debug``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Any, NoReturn


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples; appends ``(default: X)`` to a
    flag's help unless the help already says its default or there is none to say."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            "default" in text.lower()
            or not action.option_strings
            or default in (None, False, argparse.SUPPRESS)
            or default == []
            or isinstance(action, argparse._StoreConstAction | argparse._CountAction)
        ):
            return text
        return f"{text} (default: %(default)s)" if text else "(default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that suggests the closest choice or flag on a typo."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            close = get_close_matches(str(value), choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"invalid choice: {value!r} (choose from {', '.join(choices)}){hint}"
            raise argparse.ArgumentError(action, message)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            verb = _chosen(self, parsed)
            known = [s for a in verb._actions for s in a.option_strings]
            hints = []
            for extra in extras:
                close = get_close_matches(extra.split("=")[0], known, n=1) if extra.startswith("-") else []
                hints.append(f"{extra} (did you mean {close[0]}?)" if close else extra)
            verb.error("unrecognized arguments: " + " ".join(hints))
        return parsed

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def _chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The innermost verb parser ``args`` went through."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            name = getattr(args, action.dest, None)
            if name in action.choices:
                return _chosen(action.choices[name], args)
    return parser


def positive_int(text: str) -> int:
    """An ``int`` of at least 1 (argparse ``type``)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def non_negative_int(text: str) -> int:
    """An ``int`` of at least 0 (argparse ``type``)."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def positive_float(text: str) -> float:
    """A ``float`` above 0 (argparse ``type``)."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def add_common_options(parser: argparse.ArgumentParser, *, on_verb: bool) -> None:
    """``-v``, ``--log-file`` and ``--debug``: accepted before or after the verb."""
    default: Any = argparse.SUPPRESS if on_verb else None
    g = parser.add_argument_group("output and diagnostics")
    g.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS if on_verb else 0,
        help="log more: -v screenpilot's debug messages, -vv every library's",
    )
    g.add_argument(
        "--log-file", type=Path, default=default, metavar="FILE", help="also write a debug log to FILE"
    )
    g.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if on_verb else False,
        help="print the traceback of an error (also: SCREENPILOT_DEBUG=1)",
    )
