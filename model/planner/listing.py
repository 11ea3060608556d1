"""A compact, numbered listing of what is on the screen, for a text-only planner.

One line per visible element with something to read (role, label, value, state), in
reading order, capped so a busy page cannot flood the prompt. Without elements, OCR lines
can stand in (optional: they need the ``ocr`` extra and about a second per screen).
"""

from __future__ import annotations

from screenpilot.environments.observation import Observation, UIElement

MAX_LINES = 80
MAX_LABEL = 60


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def element_line(element: UIElement) -> str:
    """``role "label"`` plus value and state, e.g. ``textbox "Username" value="alice"``."""
    role = element.role or element.tag or "element"
    parts = [role, f'"{_clip(element.label)}"']
    if element.value and element.value != element.label:
        parts.append(f'value="{_clip(element.value)}"')
    if element.checked is not None:
        parts.append("checked" if element.checked else "unchecked")
    if not element.enabled:
        parts.append("disabled")
    return " ".join(parts)


def listing(observation: Observation, ocr_lines: list[str] | None = None) -> str:
    """The numbered listing (``(nothing readable)`` when there is none)."""
    lines: list[str] = []
    visible = [e for e in observation.elements if e.visible and (e.label or e.editable)]
    visible.sort(key=lambda e: (round(e.box.y0 / 8), e.box.x0))
    for e in visible[:MAX_LINES]:
        lines.append(element_line(e))
    if not lines and ocr_lines:
        lines = [f'text "{_clip(t)}"' for t in ocr_lines[:MAX_LINES]]
    if not lines:
        return "(nothing readable)"
    more = len(visible) - MAX_LINES
    numbered = [f"[{i + 1}] {line}" for i, line in enumerate(lines)]
    return "\n".join(numbered + ([f"... and {more} more"] if more > 0 else []))
