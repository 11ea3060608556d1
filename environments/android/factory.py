"""Build the Android environment from command-line style options."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.options import AndroidOptions
from screenpilot.tools.options import validate_options


def from_options(options: Mapping[str, Any]) -> AndroidEnvironment:
    """``screenpilot run --env android [--serial S] [-E host=... -E port=... -E connect=...]``."""
    return AndroidEnvironment(validate_options(AndroidOptions, options, what="the Android environment"))
