"""References to secrets by name inside instructions: ``{secret: NAME}`` or ``{{secret:NAME}}``.

A reference says "type the secret NAME here"; the value is filled in by the agent's secret
store at the moment of typing and never appears in a task, a prompt or a record. The
pattern lives here, below the model layer, so the offline policy reads references the
same way the agent checks them.
"""

from __future__ import annotations

import re

SECRET_REFERENCE = re.compile(
    r"\{\{\s*secret\s*:\s*([A-Za-z_][\w.-]*)\s*\}\}"  # {{secret:NAME}}
    r"|\{\s*secret\s*:\s*([A-Za-z_][\w.-]*)\s*\}"  # {secret: NAME}
)
"""``{{secret:NAME}}`` or ``{secret: NAME}``: a secret named in a task or a workflow."""


def reference_name(m: re.Match[str]) -> str:
    """The secret's name in one match of :data:`SECRET_REFERENCE`."""
    return m.group(1) or m.group(2)


def secret_references(text: str) -> list[str]:
    """The names of the secrets ``text`` refers to, in order, each once."""
    names: list[str] = []
    for m in SECRET_REFERENCE.finditer(text):
        name = reference_name(m)
        if name not in names:
            names.append(name)
    return names
