"""``${name}`` substitution in step fields: variable look-up only, no expressions.

``${row.email}`` reads a field of a variable; ``$${`` writes a literal ``${``. A string
that is exactly one reference keeps the variable's type (a list stays a list, so
``for_each: ${items}`` works).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from screenpilot.tools.errors import ConfigError

_REF = re.compile(r"\$\$\{|\$\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}")
_WHOLE = re.compile(r"^\$\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}$")

Lookup = Callable[[tuple[str, ...]], Any]


def lookup_path(variables: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """Follow a dotted path through mappings and lists.

    Raises:
        ConfigError: When a name or index does not exist (the message lists known names).
    """
    head, *rest = path
    if head not in variables:
        known = ", ".join(sorted(variables)) or "none"
        raise ConfigError(f"unknown variable {head!r} (known: {known})")
    value = variables[head]
    for i, part in enumerate(rest):
        where = ".".join(path[: i + 1])
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list | tuple) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise ConfigError(f"{where} has no field {part!r}")
    return value


def references(text: str) -> list[tuple[str, ...]]:
    """Every variable path referenced in ``text``."""
    return [tuple(m.group(1).split(".")) for m in _REF.finditer(text) if m.group(1)]


def render_text(text: str, lookup: Lookup) -> Any:
    """Substitute references in one string."""
    whole = _WHOLE.match(text)
    if whole:
        return lookup(tuple(whole.group(1).split(".")))

    def sub(m: re.Match[str]) -> str:
        if m.group(0) == "$${":
            return "${"
        value = lookup(tuple(m.group(1).split(".")))
        return "" if value is None else str(value)

    return _REF.sub(sub, text)


def render(value: Any, lookup: Lookup) -> Any:
    """Substitute references in strings anywhere inside ``value`` (lists, dicts)."""
    if isinstance(value, str):
        return render_text(value, lookup) if "${" in value else value
    if isinstance(value, Mapping):
        return {k: render(v, lookup) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [render(v, lookup) for v in value]
    return value
