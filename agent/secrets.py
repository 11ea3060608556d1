"""Secrets: resolved only at the moment of typing, redacted from everything written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screenpilot.tools.actions import Action, TypeText
from screenpilot.tools.errors import ConfigError


class SecretStore:
    """Named secret values.

    The agent hands the environment a ``TypeText`` with the value filled in, and writes
    only the name everywhere else. :meth:`redact` scrubs any value that leaks into text
    (a page echoing a password, an exception message) before it is logged or recorded.
    """

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._values = {k: v for k, v in (values or {}).items() if v}

    def names(self) -> list[str]:
        return sorted(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def value(self, name: str) -> str:
        try:
            return self._values[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise ConfigError(f"unknown secret {name!r} (known: {known})") from None

    def resolve(self, action: Action) -> Action:
        """The action the driver gets: secret references replaced by their values."""
        if isinstance(action, TypeText) and action.secret is not None:
            return TypeText.model_construct(
                action="type",
                text=self.value(action.secret),
                secret=None,
                clear_first=action.clear_first,
                submit=action.submit,
            )
        return action

    def redact(self, data: Any) -> Any:
        """A copy of ``data`` (str, list, dict, nested) with every secret value masked."""
        if not self._values:
            return data
        if isinstance(data, str):
            for name, value in sorted(self._values.items(), key=lambda kv: -len(kv[1])):
                if value in data:
                    data = data.replace(value, f"[secret:{name}]")
            return data
        if isinstance(data, Mapping):
            return {self.redact(k): self.redact(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return [self.redact(v) for v in data]
        return data
