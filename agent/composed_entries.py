"""Registry factories of the composed policies, whose parts are themselves registry entries.

The composition lives in the model layer (:mod:`screenpilot.model.hybrid`,
:mod:`screenpilot.model.planner`); only here, in the layer that owns the registry, are the
parts looked up by name, so the model layer never imports upward.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def hybrid_from_options(options: Mapping[str, Any]) -> Any:
    """The ``hybrid`` policy (see :mod:`screenpilot.model.hybrid.factory` for the options)."""
    from screenpilot.agent.registry import create
    from screenpilot.model.hybrid.factory import build

    return build(options, create)


def planner_from_options(options: Mapping[str, Any]) -> Any:
    """The ``planner`` policy (see :mod:`screenpilot.model.planner.factory` for the options)."""
    from screenpilot.agent.registry import create
    from screenpilot.model.planner.factory import build

    return build(options, create)
