"""Build a BrowserGym environment from command-line style options (``--env browsergym``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screenpilot.environments.browsergym.config import BrowserGymConfig
from screenpilot.environments.browsergym.env import BrowserGymEnvironment
from screenpilot.tools.options import validate_options


def from_options(options: Mapping[str, Any]) -> BrowserGymEnvironment:
    """The registry factory for ``"browsergym"`` (``-E task=openended -E start_url=...``).

    ``url`` (``--url``) is accepted as ``start_url``.
    """
    opts = dict(options)
    if "url" in opts:
        opts.setdefault("start_url", opts.pop("url"))
    return BrowserGymEnvironment(validate_options(BrowserGymConfig, opts, what="the BrowserGym environment"))
