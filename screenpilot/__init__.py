"""screenpilot: GUI visual agents around Qwen3-VL.

The repository's top-level folders are installed under this one import name
(``agent/`` as :mod:`screenpilot.agent`, ``model/`` as :mod:`screenpilot.model`, ...), so
``pip install screenpilot`` claims no other top-level name. This module holds only the
version and a short API, imported lazily so that ``import screenpilot`` stays cheap::

    from screenpilot import run
    result = run('click "More information"', url="https://example.org")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screenpilot._version import __version__

if TYPE_CHECKING:
    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import create
    from screenpilot.agent.result import RunResult
    from screenpilot.api import run

__all__ = ["Agent", "AgentConfig", "RunResult", "__version__", "create", "run"]

_LAZY = {
    "Agent": "screenpilot.agent.loop",
    "AgentConfig": "screenpilot.agent.config",
    "RunResult": "screenpilot.agent.result",
    "create": "screenpilot.agent.registry",
    "run": "screenpilot.api",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'screenpilot' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
