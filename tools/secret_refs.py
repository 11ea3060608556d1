"""References to secrets by name inside instructions: ``{secret: NAME}`` or ``{{secret:NAME}}``.

A reference says "type the secret NAME here"; the value is filled in by the agent's secret
store at the moment of typing and never appears in a task, a prompt or a record.
"""

from __future__ import annotations

import re

SECRET_REF = re.compile(r"\{\{?\s*secret\s*:\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}?")
"""One reference; group 1 is the secret's name."""


def secret_refs(text: str) -> list[str]:
    """The names of the secrets ``text`` refers to, in order, each once."""
    seen: list[str] = []
    for name in SECRET_REF.findall(text):
        if name not in seen:
            seen.append(name)
    return seen
