"""The MiniWoB++ tasks shipped inside the installed ``miniwob`` package."""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import ConfigError

DEFAULT_MAX_TIME_MS = 10_000
"""``core.EPISODE_MAX_TIME`` when a task page does not set its own."""
_MAX_TIME = re.compile(r"core\.EPISODE_MAX_TIME\s*=\s*(\d+)")


class MiniWoBTask(BaseModel):
    """One task page.

    Attributes:
        name: Task name (``click-button``; flight tasks are ``flight.AA``...).
        path: Page path relative to the package's ``html/`` directory.
        max_time_ms: The time limit the page sets for itself, read from its source for
            listings; the page's live value is what episodes record.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    path: str
    max_time_ms: int


def html_dir() -> Path:
    """The ``miniwob/html`` directory of the installed package.

    Raises:
        ConfigError: When the ``miniwob`` package is not installed.
    """
    spec = find_spec("miniwob")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("MiniWoB++ needs the 'miniwob' package: pip install 'screenpilot[bench]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "html"
    if not (path / "miniwob").is_dir():
        raise ConfigError(f"the installed miniwob package has no task pages under {path}")
    return path


def _max_time(page: Path) -> int:
    found = _MAX_TIME.findall(page.read_text(encoding="utf-8", errors="replace"))
    return int(found[-1]) if found else DEFAULT_MAX_TIME_MS


@cache
def _list(root: Path) -> tuple[MiniWoBTask, ...]:
    tasks = [
        MiniWoBTask(name=p.stem, path=f"miniwob/{p.name}", max_time_ms=_max_time(p))
        for p in sorted((root / "miniwob").glob("*.html"))
    ]
    flight = root / "flight"
    if flight.is_dir():
        for d in sorted(flight.iterdir()):
            wrapper = d / "wrapper.html"
            if wrapper.is_file() and d.name != "flight-common":
                tasks.append(
                    MiniWoBTask(
                        name=f"flight.{d.name}",
                        path=f"flight/{d.name}/wrapper.html",
                        max_time_ms=_max_time(wrapper),
                    )
                )
    return tuple(tasks)


def list_tasks() -> list[MiniWoBTask]:
    """Every task the installed package ships, sorted by name (flight tasks last)."""
    return list(_list(html_dir()))
