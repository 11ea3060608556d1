"""Read a value the instruction refers to off the screen.

* "the value of Last name", "the value that corresponds with Color": the text beside (or
  below) the label;
* "the 2nd word in the paragraph", "the last word in the text area": a word of a text
  block or a field's value, without its punctuation;
* "the text in the textarea", "the text of the 3rd paragraph": the whole text.

Element text comes first (exact); OCR lines when the screen has no element tree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline import spatial
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.sources import element_role
from screenpilot.tools.perception.templates import iou
from screenpilot.tools.points import Box

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

_ORD = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
_WORD_REF = re.compile(
    r"^(?:the\s+)?(\d+|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)(?:st|nd|rd|th)?\s+(word|line|sentence|number)\s+(?:in|of|from)\s+(.+)$",
    re.I,
)
_VALUE_OF = re.compile(
    r"^(?:the\s+)?(?:value|text|content|contents|number|entry)\s+"
    r"(?:of|for|next to|beside|that corresponds? (?:with|to))\s+(?:the\s+)?(.+)$",
    re.I,
)
_TEXT_IN = re.compile(
    r"^(?:the\s+|all\s+(?:of\s+)?the\s+)?(?:text|content|contents|words)\s+(?:in|of|from|inside)\s+(.+)$",
    re.I,
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def read_value(runner: StepRunner, ref: str, obs: Observation) -> str | None:
    """The text ``ref`` names on ``obs``, or ``None`` when it cannot be found."""
    m = _WORD_REF.match(ref.strip())
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _ORD[m.group(1).lower()]
        text = _block_text(runner, m.group(3), obs)
        return _nth(text, n, m.group(2).lower()) if text else None
    m = _VALUE_OF.match(ref.strip())
    if m:
        return _beside(runner, m.group(1).strip().strip('"'), obs)
    m = _TEXT_IN.match(ref.strip())
    if m:
        return _block_text(runner, m.group(1), obs)
    return None


def _nth(text: str, n: int, unit: str) -> str | None:
    if unit == "line":
        parts = [ln.strip() for ln in text.splitlines() if ln.strip()]
    elif unit == "sentence":
        parts = [s.strip() for s in re.split(r"(?<=[.!?。！？])\s+", text) if s.strip()]
    else:
        parts = _WORD.findall(text)
        if unit == "number":
            parts = [p for p in parts if p.isdigit()]
    if not parts:
        return None
    index = n - 1 if n > 0 else len(parts) + n
    return parts[index] if 0 <= index < len(parts) else None


def _block_text(runner: StepRunner, where: str, obs: Observation) -> str | None:
    """The full text of the block ``where`` names ("the paragraph", "the text area", "the 2nd paragraph")."""
    spec = parse_target(where)
    elements = app_elements(obs)
    if spec.role in ("textbox", "textarea") or (spec.role is None and not spec.text):
        fields = sorted(
            (e for e in elements if element_role(e) == "textbox" and e.value is not None),
            key=lambda e: (spec.role == "textarea" and e.tag != "textarea", spatial.reading_key(e.box)),
        )
        if spec.role == "textarea" and any(e.tag == "textarea" for e in fields):
            fields = [e for e in fields if e.tag == "textarea"]
        el = _pick(fields, spec.ordinal)
        if el is not None and spec.role in ("textbox", "textarea"):
            return el.value
    if spec.text and spec.role not in ("text", "paragraph", None):
        found = runner.grounder.find(obs, where)
        el = runner.element(obs, found[0]) if found else None
        return (el.value or el.text) if el is not None else (found[0].text if found else None)
    blocks = [e for e in elements if element_role(e) == "text" and len(e.text.split()) >= 3]
    blocks = _outermost(blocks)
    if spec.ordinal is None and blocks:
        return max(blocks, key=lambda e: len(e.text)).text
    el = _pick(sorted(blocks, key=lambda e: spatial.reading_key(e.box)), spec.ordinal)
    if el is not None:
        return el.text
    if runner.grounder.config.ocr != "off":
        return " ".join(ln.text for ln in runner.grounder.ocr_lines(obs))
    return None


def _outermost(blocks: list[UIElement]) -> list[UIElement]:
    """Text blocks not inside another block (a paragraph, not its bold words)."""
    out = []
    for b in blocks:
        if not any(o is not b and _contains(o.box, b.box) and len(o.text) > len(b.text) for o in blocks):
            out.append(b)
    return out


def _contains(outer: Box, inner: Box) -> bool:
    return (
        outer.x0 <= inner.x0 + 1
        and outer.y0 <= inner.y0 + 1
        and outer.x1 >= inner.x1 - 1
        and outer.y1 >= inner.y1 - 1
    )


def _pick(items: list[UIElement], ordinal: int | None) -> UIElement | None:
    if not items:
        return None
    if ordinal is None:
        return items[0]
    index = ordinal - 1 if ordinal > 0 else len(items) + ordinal
    return items[index] if 0 <= index < len(items) else None


def _beside(runner: StepRunner, label: str, obs: Observation) -> str | None:
    """The text right of (else below) the label, on the same row of a table or form."""
    anchors = [a for a in runner.grounder.find(obs, f'"{label}"') if a.score >= 0.85]
    if not anchors:
        return None
    anchor = anchors[0].box
    texts = [
        e
        for e in app_elements(obs)
        if element_role(e) in ("text", "textbox")
        and (e.text or e.value)
        and iou(e.box, anchor) < 0.5
        and not _contains(e.box, anchor)
    ]
    for relation in ("right_of", "below"):
        ranked = sorted(
            ((spatial.relation_distance(e.box, anchor, relation), e) for e in texts),
            key=lambda de: de[0] if de[0] is not None else 1e9,
        )
        for d, e in ranked:
            if d is not None and d < 300:
                return (e.value or e.text).strip()
    if runner.grounder.config.ocr != "off":
        lines = [ln for ln in runner.grounder.ocr_lines(obs) if iou(ln.box, anchor) < 0.3]
        right: list[tuple[float, str]] = []
        for ln in lines:
            d = spatial.relation_distance(ln.box, anchor, "right_of")
            if d is not None and d < 300:
                right.append((d, ln.text))
        if right:
            return min(right)[1].strip()
    return None
