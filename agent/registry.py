"""Named environments and policies, imported lazily from ``"module:function"`` entries.

Third-party packages add their own through the entry-point groups
``screenpilot.environments``, ``screenpilot.policies`` and ``screenpilot.grounders``; each
entry point names a factory ``(options: Mapping[str, Any]) -> Environment | Policy | Grounder``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import Any

from screenpilot.tools.errors import ConfigError

ENVIRONMENTS: dict[str, str] = {
    "fake": "screenpilot.environments.fake.factory:from_options",
    "browser": "screenpilot.environments.browser.factory:from_options",
    "android": "screenpilot.environments.android.factory:from_options",
    "desktop": "screenpilot.environments.desktop.factory:from_options",
}

POLICIES: dict[str, str] = {
    "script": "screenpilot.model.script_file:from_options",
    "qwen3vl": "screenpilot.model.qwen.factory:from_http_options",
    "qwen3vl-local": "screenpilot.model.qwen.factory:from_local_options",
    "offline": "screenpilot.model.offline.policy:from_options",
    "dom-match": "screenpilot.model.dom_match:from_options",
}

GROUNDERS: dict[str, str] = {
    "center": "screenpilot.model.center_grounder:center_from_options",
    "offline": "screenpilot.model.offline.policy:from_options",
    "qwen3vl": "screenpilot.model.qwen.factory:from_http_options",
    "qwen3vl-local": "screenpilot.model.qwen.factory:from_local_options",
}


def _plugins(group: str) -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=group)}


def available(kind: str) -> dict[str, str]:
    """Built-in and plugin entries of ``kind`` (``"environments"``, ``"policies"``, ``"grounders"``)."""
    builtin = {"environments": ENVIRONMENTS, "policies": POLICIES, "grounders": GROUNDERS}[kind]
    return {**_plugins(f"screenpilot.{kind}"), **builtin}


def load_factory(kind: str, name: str) -> Callable[[Mapping[str, Any]], Any]:
    """Import the factory registered as ``name``.

    Raises:
        ConfigError: For an unknown name (the message lists the known ones) or a factory
            whose optional dependencies are not installed.
    """
    entries = available(kind)
    if name not in entries:
        known = ", ".join(sorted(entries))
        raise ConfigError(
            f"unknown {kind[:-1] if kind != 'policies' else 'policy'} {name!r}; available: {known}"
        )
    module_name, _, attr = entries[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise ConfigError(
            f"{name!r} needs the optional dependency {e.name!r}; install it with "
            f"pip install 'screenpilot[all]'"
        ) from e
    factory: Callable[[Mapping[str, Any]], Any] = getattr(module, attr)
    return factory


def create(kind: str, name: str, options: Mapping[str, Any]) -> Any:
    """Build the environment or policy registered as ``name`` from ``options``."""
    return load_factory(kind, name)(options)
