"""Popups and overlays: recognised by rules (data), dismissed before the policy is asked.

See ``docs/popups.md``: :class:`PopupHandler` finds a popup a rule recognises,
:func:`clear_popups` dismisses it through the act pipeline and records the step, and
:func:`load_rules` reads the shipped rules and users' rule files.
"""

from screenpilot.agent.popups.dismiss import clear_popups
from screenpilot.agent.popups.handler import Dismissal, PopupHandler, normalize_label
from screenpilot.agent.popups.rules import PopupRule, PopupRuleSet, default_rules, load_rules

__all__ = [
    "Dismissal",
    "PopupHandler",
    "PopupRule",
    "PopupRuleSet",
    "clear_popups",
    "default_rules",
    "load_rules",
    "normalize_label",
]
