"""Which skill carries out each kind of step."""

from __future__ import annotations

from screenpilot.model.offline import skill_drag, skill_misc, skill_pointer, skill_text, skill_widgets
from screenpilot.model.offline.progress import Skill

SKILLS: dict[str, Skill] = {
    "click": skill_pointer.click,
    "double_click": skill_pointer.double_click,
    "right_click": skill_pointer.right_click,
    "hover": skill_pointer.hover,
    "focus": skill_pointer.focus,
    "expand": skill_pointer.expand,
    "collapse": skill_pointer.collapse,
    "close": skill_pointer.close,
    "submit": skill_pointer.submit,
    "check": skill_pointer.check,
    "uncheck": skill_pointer.uncheck,
    "choose": skill_pointer.choose,
    "find": skill_pointer.find,
    "type": skill_text.type_,
    "clear": skill_text.clear,
    "press": skill_text.press,
    "copy": skill_text.copy,
    "paste": skill_text.paste,
    "highlight": skill_text.highlight,
    "set": skill_widgets.set_step,
    "select": skill_widgets.select,
    "drag": skill_drag.drag,
    "open": skill_misc.open_url,
    "scroll": skill_misc.scroll,
    "wait": skill_misc.wait,
    "wait_text": skill_misc.wait_text,
    "answer": skill_misc.answer,
    "unknown": skill_misc.unknown,
}
"""Every step kind and its skill."""
