"""Open apps by package name or by the label people see."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from screenpilot.environments.observation import UIElement
from screenpilot.tools.errors import DriverError

_PACKAGE = re.compile(r"^[A-Za-z][\w]*(\.[\w]+)+$")
_ACTIVITY_BLOCK = re.compile(
    r"packageName=(?P<pkg>[\w.]+).*?nonLocalizedLabel=(?P<label>[^\n]*?) icon=", re.S
)
QUERY_LAUNCHABLE = (
    "cmd package query-activities -a android.intent.action.MAIN -c android.intent.category.LAUNCHER"
)

Run = Callable[[str], str]


def monkey_command(package: str) -> str:
    """Start a package's launcher activity without knowing its name."""
    return f"monkey -p {shlex.quote(package)} -c android.intent.category.LAUNCHER 1"


def looks_like_package(name: str) -> bool:
    return bool(_PACKAGE.match(name))


def _norm(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text).casefold()


def labels_from_query(output: str) -> dict[str, str]:
    """Package -> label for launchable activities whose label is a plain string.

    Most apps keep their label as a resource (``nonLocalizedLabel=null``), which the
    shell cannot resolve; those are found on the launcher instead.
    """
    out: dict[str, str] = {}
    for block in output.split("Activity #")[1:]:
        m = _ACTIVITY_BLOCK.search(block)
        if m and m.group("label") != "null":
            out.setdefault(m.group("pkg"), m.group("label").strip())
    return out


def find_by_label(labels: dict[str, str], name: str) -> str | None:
    want = _norm(name)
    for package, label in labels.items():
        if _norm(label) == want:
            return package
    return None


def find_on_launcher(elements: tuple[UIElement, ...], name: str) -> UIElement | None:
    """The clickable launcher element whose text or description is the label."""
    want = _norm(name)
    for el in elements:
        if el.attributes.get("clickable") == "true" and want in (_norm(el.text), _norm(el.name)):
            return el
    return None


def find_by_package_tail(packages: list[str], name: str) -> str | None:
    """Last resort: ``Clock`` -> ``com.android.deskclock`` style matches on package names."""
    want = _norm(name)
    tails = [(p, p.rsplit(".", 1)[-1].casefold()) for p in packages]
    exact = [p for p, tail in tails if tail == want]
    if exact:
        return exact[0]
    partial = [p for p, tail in tails if want in tail]
    return partial[0] if len(partial) == 1 else None


def check_monkey(output: str, package: str) -> None:
    if "Events injected: 1" not in output:
        raise DriverError(f"could not start {package}: {output.strip()[-200:] or 'no output'}")
