"""Secrets: resolved only at the moment of typing, redacted from everything written.

Redaction masks secret values in free text and leaves identifiers whole. Records are
dicts whose keys are the schema and whose identifier fields (content hashes, file-system
locations, record discriminators) are written by screenpilot itself, never typed by a user
or shown by a page; a secret such as ``2024`` that happens to occur inside a screenshot
digest is a coincidence, and masking it would break the link to ``shots/<digest>.png``.
So:

* dict keys are never rewritten;
* the values of identifier fields (:func:`is_identifier_key`) are kept whole: keys
  ``screenshot``, ``sha``, ``digest``, ``hash``, ``path``, ``file``, ``run_dir``, ``type``,
  ``action``, ``status`` and keys ending in ``_sha``, ``_digest``, ``_hash``, ``_path``,
  ``_file``, ``_dir``, whether the value is a string or a list of strings;
* every other string has each occurrence of a secret value replaced by ``[secret:NAME]``,
  in whatever form a page or URL gave it: percent-encoded (``%21`` or ``+``), as HTML
  character references, as JSON escapes, or base64-encoded (see
  :mod:`~screenpilot.agent.secret_forms`); masks already there are left alone, so
  redacting twice changes nothing.

Identifiers are recognised by their field, never by the look of a value: free text that
merely looks like a digest (a secret ``e3b0c44298`` written four times is 40 hex digits)
is still masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from screenpilot.agent.secret_forms import value_pattern
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.actions import Action, TypeText
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.secret_refs import SECRET_REFERENCE, secret_references

__all__ = [
    "IDENTIFIER_KEYS",
    "IDENTIFIER_SUFFIXES",
    "SECRET_REFERENCE",
    "SecretStore",
    "check_references",
    "is_identifier_key",
    "secret_references",
]

IDENTIFIER_KEYS: frozenset[str] = frozenset(
    {"screenshot", "sha", "digest", "hash", "path", "file", "run_dir", "type", "action", "status"}
)
"""Fields whose values are identifiers: content hashes, locations, discriminators."""

IDENTIFIER_SUFFIXES: tuple[str, ...] = ("_sha", "_digest", "_hash", "_path", "_file", "_dir")
"""Suffixes that mark a field as a hash or a location (``config_hash``, ``out_dir``...)."""


def is_identifier_key(key: object) -> bool:
    """Whether the field ``key`` holds an identifier that redaction keeps whole."""
    if not isinstance(key, str):
        return False
    k = key.lower()
    return k in IDENTIFIER_KEYS or k.endswith(IDENTIFIER_SUFFIXES)


def check_references(text: str, store: SecretStore) -> None:
    """Fail before anything runs when ``text`` names a secret ``store`` does not hold.

    Raises:
        ConfigError: Naming the unknown secrets, the ones known, and how to give one.
    """
    unknown = [n for n in secret_references(text) if n not in store.names()]
    if unknown:
        known = ", ".join(store.names()) or "none"
        names = ", ".join(repr(n) for n in unknown)
        raise ConfigError(
            f"the task refers to the secret(s) {names}, which {'were' if len(unknown) > 1 else 'was'} "
            f"not given (known: {known}); pass --secret {unknown[0]} and set "
            f"$SCREENPILOT_SECRET_{unknown[0].upper()}"
        )


class SecretStore:
    """Named secret values.

    The agent hands the environment a ``TypeText`` with the value filled in, and writes
    only the name everywhere else. :meth:`redact` scrubs any value that leaks into text
    (a page echoing a password, an exception message) before it is logged or recorded.
    """

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._values = {k: v for k, v in (values or {}).items() if v}
        # two names may share a value: the first name (sorted) labels it
        self._by_value: dict[str, str] = {}
        for name in sorted(self._values):
            self._by_value.setdefault(self._values[name], name)
        # One pass, masks first, then values longest first: a mask already written (the
        # agent redacts a task, the recorder redacts the manifest holding it) is kept as is,
        # and a short secret inside a longer one is not rewritten again. Each value matches
        # in every encoded form a page or URL gives it (see secret_forms).
        self._masks = {f"[secret:{name}]" for name in self._values}
        longest_first = sorted(self._by_value, key=lambda v: (-len(v), v))
        self._group_names = {f"s{i}": self._by_value[v] for i, v in enumerate(longest_first)}
        alternatives = [re.escape(m) for m in sorted(self._masks)]
        alternatives += [f"(?P<s{i}>{value_pattern(v)})" for i, v in enumerate(longest_first)]
        self._pattern = re.compile("|".join(alternatives) or r"(?!)")

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
        """A copy of ``data`` (str, list, tuple, dict, nested) with secret values masked.

        Every occurrence of a secret value in a string becomes ``[secret:NAME]``, except in
        identifiers, which are kept whole: dict keys and the values of identifier fields
        (:func:`is_identifier_key`). Other values (numbers, booleans, ``None``) pass through.
        """
        if not self._values:
            return data
        return self._redact(data, identifier=False)

    def redact_observation(self, obs: Observation) -> Observation:
        """``obs`` as a policy may see it: secret values masked in its URL, title, tabs,
        notices and element texts (a form submitted with GET puts the password in the URL;
        a page may echo it). The screenshot is left alone: drivers mask password fields."""
        if not self._values:
            return obs
        text = self._redact_optional
        tabs = tuple(t.model_copy(update={"url": text(t.url), "title": text(t.title)}) for t in obs.tabs)
        elements = tuple(self._redact_element(e) for e in obs.elements)
        return obs.model_copy(
            update={
                "url": text(obs.url),
                "title": text(obs.title),
                "app": text(obs.app),
                "tabs": tabs,
                "notices": tuple(self.redact(list(obs.notices))),
                "elements": elements,
            }
        )

    def _redact_optional(self, text: str | None) -> Any:
        return None if text is None else self._redact_text(text, identifier=False)

    def _redact_element(self, element: UIElement) -> UIElement:
        fields = {k: getattr(element, k) for k in ("name", "text", "value", "placeholder")}
        update: dict[str, Any] = {k: self._redact_optional(v) for k, v in fields.items()}
        update["attributes"] = self.redact(element.attributes)
        changed = any(update[k] != fields[k] for k in fields) or update["attributes"] != element.attributes
        return element.model_copy(update=update) if changed else element

    def _redact(self, data: Any, *, identifier: bool) -> Any:
        if isinstance(data, str):
            return self._redact_text(data, identifier=identifier)
        if isinstance(data, Mapping):
            return {k: self._redact(v, identifier=is_identifier_key(k)) for k, v in data.items()}
        if isinstance(data, list | tuple):
            # a list under an identifier key holds identifiers (several digests, several paths)
            return [self._redact(v, identifier=identifier and isinstance(v, str)) for v in data]
        return data

    def _redact_text(self, text: str, *, identifier: bool) -> str:
        if identifier:
            return text
        return self._pattern.sub(self._mask, text)

    def _mask(self, match: re.Match[str]) -> str:
        group = match.lastgroup
        return match.group(0) if group is None else f"[secret:{self._group_names[group]}]"
