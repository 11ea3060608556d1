"""Popup rules: data that says which popups to dismiss and how, loaded from YAML.

The rules screenpilot ships are in ``default_rules.yaml`` beside this module. A user's rule
file has the same format; its rules come first (so they win), and a rule with the name of
a shipped one replaces it (``enabled: false`` turns a shipped rule off). ``never``
patterns add up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from screenpilot.tools.errors import ConfigError

DEFAULT_RULES = "default_rules.yaml"


def _compile(patterns: Sequence[str]) -> tuple[str, ...]:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise ValueError(f"{p!r} is not a regular expression: {e}") from None
    return tuple(patterns)


class PopupRule(BaseModel):
    """One kind of popup and how to dismiss it.

    Attributes:
        name: Unique name; recorded with every dismissal.
        description: What it recognises, in words (shown in the record).
        platforms: Platforms it applies to (``browser``, ``desktop``, ``android``); all when empty.
        packages: Android packages whose dialogs it applies to; any when empty.
        when: Patterns, one of which must occur in the popup's text; any popup when empty.
        click: Patterns for the control to click, best first; each must match a label whole.
        enabled: Whether the rule is used.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    platforms: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    click: tuple[str, ...] = ()
    enabled: bool = True

    _check_patterns = field_validator("when", "click")(_compile)

    def applies_to(self, platform: str) -> bool:
        return self.enabled and (not self.platforms or platform in self.platforms)


class PopupRuleSet(BaseModel):
    """Rules in the order they are tried, and the labels no rule may click.

    Attributes:
        version: The format version (1).
        never: Patterns of labels never clicked (destructive or committing choices).
        rules: The rules, first match wins.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = 1
    never: tuple[str, ...] = ()
    rules: tuple[PopupRule, ...] = ()

    _check_never = field_validator("never")(_compile)

    def names(self) -> list[str]:
        """The names of the enabled rules."""
        return [r.name for r in self.rules if r.enabled]

    def merged(self, user: PopupRuleSet) -> PopupRuleSet:
        """``user``'s rules first, then ours that it does not replace; ``never`` combined."""
        replaced = {r.name for r in user.rules}
        return PopupRuleSet(
            never=(*user.never, *(n for n in self.never if n not in user.never)),
            rules=(*user.rules, *(r for r in self.rules if r.name not in replaced)),
        )


def parse_rules(text: str, *, source: str) -> PopupRuleSet:
    """Parse a rule file's text.

    Raises:
        ConfigError: When it is not valid YAML or not a rule set.
    """
    try:
        data = yaml.safe_load(text) or {}
        return PopupRuleSet.model_validate(data)
    except yaml.YAMLError as e:
        raise ConfigError(f"popup rules {source}: not valid YAML: {e}") from None
    except ValidationError as e:
        raise ConfigError(f"popup rules {source}: {e}") from None


@cache
def default_rules() -> PopupRuleSet:
    """The rules that ship with screenpilot."""
    resource = files("screenpilot.agent.popups").joinpath(DEFAULT_RULES)
    return parse_rules(resource.read_text(encoding="utf-8"), source=DEFAULT_RULES)


def load_rules(paths: Sequence[str | Path] = (), *, defaults: bool = True) -> PopupRuleSet:
    """The shipped rules (unless ``defaults`` is false) merged with the rule files ``paths``
    (a later file's rules win over an earlier one's).

    Raises:
        ConfigError: For a file that is missing or malformed.
    """
    rules = default_rules() if defaults else PopupRuleSet()
    for path in paths:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"cannot read popup rules {p}: {e.strerror or e}") from None
        rules = rules.merged(parse_rules(text, source=str(p)))
    return rules
