"""Build a desktop environment from command-line style options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screenpilot.environments.desktop.config import DesktopConfig
from screenpilot.environments.desktop.env import DesktopEnvironment
from screenpilot.tools.options import validate_options


def from_options(options: Mapping[str, Any]) -> DesktopEnvironment:
    """``screenpilot run --env desktop -E display=:1 -E monitor=2 ...``.

    The options are :class:`DesktopConfig`'s fields; ``abort_hotkey`` and ``app_dirs``
    accept ``+``- and ``:``-separated strings from the command line.
    """
    opts = dict(options)
    hotkey = opts.get("abort_hotkey")
    if isinstance(hotkey, str):
        opts["abort_hotkey"] = tuple(k for k in hotkey.split("+") if k) if hotkey not in ("", "none") else ()
    dirs = opts.get("app_dirs")
    if isinstance(dirs, str):
        opts["app_dirs"] = tuple(d for d in dirs.split(":") if d)
    return DesktopEnvironment(validate_options(DesktopConfig, opts, what="the desktop environment"))
