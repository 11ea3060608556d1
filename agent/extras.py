"""Whether a distribution's optional-dependency groups (extras) are installed.

Read from package metadata, importing nothing, so that ``screenpilot list`` stays fast.
"""

from __future__ import annotations

import functools
import re
import sys
from importlib.metadata import PackageNotFoundError, distribution, requires

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def missing_requirements(extra: str, dist: str = "screenpilot") -> tuple[str, ...] | None:
    """The distributions ``extra`` of ``dist`` needs that are not installed.

    Returns:
        Their names (empty when the extra is complete), or ``None`` when ``dist`` has no
        metadata here (a source tree on ``sys.path``) or declares no such extra.
    """
    declared = _requires(dist, tuple(sys.path))
    if declared is None:
        return None
    names = [_requirement_name(r) for r in declared if _extra_of(r) == extra]
    wanted = [n for n in names if n is not None and n.lower() != dist.lower()]
    if not names:
        return None
    return tuple(n for n in wanted if not _installed(n, tuple(sys.path)))


def _extra_of(requirement: str) -> str | None:
    found = _EXTRA.search(requirement.partition(";")[2])
    return found.group(1) if found else None


def _requirement_name(requirement: str) -> str | None:
    found = _NAME.match(requirement)
    return found.group(1) if found else None


@functools.lru_cache(maxsize=256)
def _requires(dist: str, path: tuple[str, ...]) -> list[str] | None:
    """``dist``'s declared requirements (``None`` without metadata), read once per path."""
    try:
        return requires(dist) or []
    except PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=256)
def _installed(name: str, path: tuple[str, ...]) -> bool:
    """Whether ``name`` is installed on ``path`` (the path only keys the cache)."""
    try:
        distribution(name)
    except PackageNotFoundError:
        return False
    return True
