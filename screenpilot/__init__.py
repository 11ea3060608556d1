"""screenpilot: GUI visual agents around Qwen3-VL.

The repository's top-level folders are installed under this one import name
(``agent/`` as :mod:`screenpilot.agent`, ``model/`` as :mod:`screenpilot.model`, ...), so
``pip install screenpilot`` claims no other top-level name. This module holds only the
version and a short API, imported lazily so that ``import screenpilot`` stays cheap::

    from screenpilot import demo_page, run

    result = run('type "ada" into User name and click Sign in', url=demo_page())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screenpilot._version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import create
    from screenpilot.agent.result import RunResult
    from screenpilot.api import run

__all__ = ["Agent", "AgentConfig", "RunResult", "__version__", "create", "demo_page", "run"]

_LAZY = {
    "Agent": "screenpilot.agent.loop",
    "AgentConfig": "screenpilot.agent.config",
    "RunResult": "screenpilot.agent.result",
    "create": "screenpilot.agent.registry",
    "run": "screenpilot.api",
}


def demo_page(name: str = "login.html") -> Path:
    """A page bundled with screenpilot (``login.html``, ``dashboard.html``), as a local file
    that ``run(url=...)`` serves on 127.0.0.1.

    Raises:
        FileNotFoundError: There is no such page.
    """
    from screenpilot.app.demo_site.server import demo_pages

    path = demo_pages() / name
    if not path.is_file():
        raise FileNotFoundError(f"no bundled page {name!r} (there are login.html and dashboard.html)")
    return path


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'screenpilot' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
