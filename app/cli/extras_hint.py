"""Which extra of screenpilot installs a missing module, read from the package's metadata."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, requires

_IMPORT_NAMES = {"Xlib": "python-xlib", "cv2": "opencv-python-headless", "PIL": "pillow", "yaml": "pyyaml"}
"""Modules whose distribution is named differently."""
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*(?:;(.*))?")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def extra_for(module: str | None) -> str | None:
    """The smallest extra whose requirements include the distribution of ``module``."""
    if not module:
        return None
    top = module.partition(".")[0]
    wanted = _norm(_IMPORT_NAMES.get(top, top))
    try:
        declared = requires("screenpilot") or []
    except PackageNotFoundError:
        return None
    extras = []
    for requirement in declared:
        m = _REQUIREMENT.match(requirement)
        marker = _EXTRA.search(m.group(2) or "") if m else None
        if m and marker and _norm(m.group(1)) == wanted:
            extras.append(marker.group(1))
    # "all" and "dev" bundle the others; name the extra that is about this dependency
    specific = [e for e in extras if e not in ("all", "dev")]
    return (specific or extras or [None])[0]


def install_hint(module: str | None) -> str:
    """``pip install 'screenpilot[EXTRA]'`` for ``module``, or a plain install of it."""
    extra = extra_for(module)
    if extra:
        return f"pip install 'screenpilot[{extra}]'"
    top = (module or "").partition(".")[0]
    return f"pip install {_IMPORT_NAMES.get(top, top)}" if top else "reinstall screenpilot"
