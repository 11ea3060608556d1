"""A plug-in grounder with a bug, for the tests of unexpected errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def grounder(options: Mapping[str, Any]) -> Any:
    return 1 / len(options)
