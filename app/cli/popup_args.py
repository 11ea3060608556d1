"""The popup flags shared by ``run`` and ``workflow run``: rule files, opt-out, cap."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_popup_arguments(parser: argparse.ArgumentParser) -> None:
    """``--no-popups``, ``--popup-rules FILE`` (repeatable) and ``--max-popups N``."""
    g = parser.add_argument_group("popups (docs/popups.md)")
    g.add_argument(
        "--no-popups", action="store_true", help="leave popups and overlays to the policy (no rules run)"
    )
    g.add_argument(
        "--popup-rules",
        action="append",
        type=Path,
        metavar="FILE",
        help="YAML file of popup rules, tried before the shipped ones (repeatable)",
    )
    g.add_argument(
        "--max-popups", type=int, default=5, metavar="N", help="popups dismissed per run at most (default 5)"
    )


def popup_handler(args: argparse.Namespace) -> Any:
    """The run's :class:`~screenpilot.agent.popups.PopupHandler`, or ``None`` with ``--no-popups``.

    Raises:
        ConfigError: For a rule file that is missing or malformed, or a negative cap.
    """
    if args.no_popups:
        return None
    from screenpilot.agent.popups import PopupHandler, load_rules
    from screenpilot.tools.errors import ConfigError

    if args.max_popups < 0:
        raise ConfigError("--max-popups must be 0 or more")
    return PopupHandler(load_rules(args.popup_rules or []), max_per_run=args.max_popups)
