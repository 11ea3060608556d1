"""Candidate sources of the offline grounder: environment elements, OCR lines, outlines.

Every box leaving this module is in screen space: OCR and outline boxes arrive in image
pixels and are converted with :func:`screenpilot.environments.geometry.box_to_space`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from screenpilot.environments.geometry import ScreenGeometry, box_to_space
from screenpilot.environments.observation import UIElement
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.ocr import TextBox
from screenpilot.tools.perception.shapes import Shape
from screenpilot.tools.perception.text_match import normalize, text_score
from screenpilot.tools.points import Box, CoordSpace

KNOWN_ROLES = frozenset(
    {
        "button",
        "link",
        "textbox",
        "checkbox",
        "radio",
        "tab",
        "menu",
        "combobox",
        "listbox",
        "option",
        "icon",
        "image",
        "slider",
        "spinbutton",
        "date",
        "time",
        "color",
        "dialog",
        "treeitem",
    }
)
LOOSE_ROLES = frozenset({"clickable", "text"})
"""Kinds of the collector's non-semantic items: something that reacts to clicks, or text."""
GROUP_KINDS = frozenset({"record", "scroller", "outside"})
"""``sp-kind`` values of structure-only items, never targets themselves."""
_ROLE_ALIASES = {
    "searchbox": "textbox",
    "textarea": "textbox",
    "menuitem": "menu",
    "menuitemcheckbox": "menu",
    "menuitemradio": "menu",
    "select": "combobox",
    "switch": "checkbox",
    "img": "image",
    "alertdialog": "dialog",
    "gridcell": "option",
}
_INPUT_TYPES = {
    "checkbox": "checkbox",
    "radio": "radio",
    "submit": "button",
    "button": "button",
    "reset": "button",
    "image": "button",
    "range": "slider",
    "number": "spinbutton",
    "date": "date",
    "datetime-local": "date",
    "month": "date",
    "week": "date",
    "time": "time",
    "color": "color",
}
_TAG_ROLES = {
    "input": "textbox",
    "textarea": "textbox",
    "field": "textbox",
    "select": "combobox",
    "a": "link",
    "button": "button",
}
# Widget libraries name their parts in class words; weak, but the same on every page.
_CLASS_ROLES = (
    ("ui-slider-handle", "slider"),
    ("ui-spinner-input", "spinbutton"),
    ("hasdatepicker", "date"),
    ("ui-datepicker-trigger", "date"),
)
# How acceptable an element of one role is when another was asked for.
_COMPATIBLE: dict[tuple[str, str], float] = {
    ("tab", "button"): 0.9,
    ("tab", "link"): 0.9,
    ("tab", "clickable"): 0.85,
    ("menu", "button"): 0.85,
    ("menu", "link"): 0.85,
    ("menu", "clickable"): 0.85,
    ("menu", "option"): 0.85,
    ("button", "link"): 0.75,
    ("link", "button"): 0.75,
    ("button", "tab"): 0.8,
    ("link", "tab"): 0.8,
    ("button", "menu"): 0.8,
    ("button", "clickable"): 0.85,
    ("link", "clickable"): 0.88,
    ("link", "treeitem"): 0.85,
    ("option", "clickable"): 0.85,
    ("option", "menu"): 0.8,
    ("option", "treeitem"): 0.8,
    ("icon", "button"): 0.9,
    ("icon", "clickable"): 0.9,
    ("icon", "image"): 0.9,
    ("button", "image"): 0.6,
    ("textbox", "combobox"): 0.6,
    ("textbox", "spinbutton"): 0.9,
    ("textbox", "date"): 0.9,
    ("textbox", "time"): 0.9,
    ("textbox", "color"): 0.8,
    ("combobox", "textbox"): 0.6,
    ("combobox", "listbox"): 0.85,
    ("listbox", "combobox"): 0.85,
    ("spinbutton", "textbox"): 0.8,
    ("date", "textbox"): 0.8,
    ("time", "textbox"): 0.8,
    ("color", "textbox"): 0.8,
    ("checkbox", "clickable"): 0.6,
    ("radio", "clickable"): 0.6,
    ("link", "text"): 0.6,
    ("button", "text"): 0.45,
    ("tab", "text"): 0.5,
    ("menu", "text"): 0.5,
    ("option", "text"): 0.6,
    ("treeitem", "clickable"): 0.9,
    ("treeitem", "text"): 0.7,
}
UNKNOWN_ROLE = 0.8
WRONG_ROLE = 0.35
NO_ROLE_TEXT = 0.93
"""Plain text when no kind was asked for: a control with the same words comes first."""


def element_kind(el: UIElement) -> str:
    """The collector's ``sp-kind`` of an element ("" for semantic controls)."""
    return el.attributes.get("sp-kind", "")


def element_role(el: UIElement) -> str:
    """A canonical role for an element from its role, tag, input type and kind."""
    kind = element_kind(el)
    if kind in GROUP_KINDS:
        return "group"
    if kind in LOOSE_ROLES:
        return kind
    role = el.role.lower()
    role = _ROLE_ALIASES.get(role, role)
    tag = el.tag.lower()
    if tag == "input":
        typed = _INPUT_TYPES.get(el.attributes.get("type", "text").lower())
        if typed:
            return typed
    classes = el.attributes.get("class", "").lower()
    for word, kind_of in _CLASS_ROLES:
        if word in classes:
            return kind_of
    if role in KNOWN_ROLES:
        return role
    if tag in _TAG_ROLES:
        return _TAG_ROLES[tag]
    return "textbox" if el.editable else role or tag


def _field_kind(wanted: str | None, el: UIElement) -> float:
    """A text area asked for a text area, a one-line field for a field: both are textboxes."""
    if wanted not in ("textbox", "textarea", "textinput") or element_role(el) != "textbox":
        return 1.0
    multi = el.tag.lower() == "textarea"
    if wanted == "textarea":
        return 1.0 if multi else 0.8
    if wanted == "textinput":
        return 0.5 if multi else 1.0
    return 0.9 if multi else 1.0


_SUBKINDS = {"paragraph": "text", "textarea": "textbox", "textinput": "textbox"}
"""Kinds that narrow another: a paragraph is text, a text area is a textbox."""


def _block_kind(wanted: str | None, el: UIElement) -> float:
    """A paragraph asked for: a <p> or a block of sentences, not a table cell or a label."""
    if wanted != "paragraph":
        return 1.0
    return 1.0 if el.tag.lower() == "p" or len(el.text.split()) >= 5 else 0.6


def role_factor(wanted: str | None, have: str) -> float:
    """How well an element of role ``have`` fits a request for ``wanted``."""
    if wanted in ("textarea", "textinput"):
        wanted = "textbox"
    if wanted == "paragraph":
        wanted = "text"
    if wanted is None:
        return NO_ROLE_TEXT if have == "text" else 1.0
    if wanted == have:
        return 1.0
    if (wanted, have) in _COMPATIBLE:
        return _COMPATIBLE[(wanted, have)]
    if not have or have not in KNOWN_ROLES:
        return UNKNOWN_ROLE if have != "text" else WRONG_ROLE
    return WRONG_ROLE


def element_texts(el: UIElement) -> list[tuple[str, float]]:
    """The texts an element can be named by, with a weight for each."""
    out = [(el.name, 1.0), (el.text, 1.0), (el.placeholder, 0.97)]
    for key in ("aria-label", "title", "alt", "label"):
        if key in el.attributes:
            out.append((el.attributes[key], 0.97))
    if "hint" in el.attributes:
        out.append((el.attributes["hint"], 0.85))  # icon named by its class: "trash"
    if el.value and element_role(el) not in ("textbox", "combobox"):
        out.append((el.value, 0.95))  # a button's value is its caption
    if el.value and element_role(el) == "combobox":
        out.append((el.value, 0.8))  # a select's current option
    return [(t, w) for t, w in out if t and t.strip()]


def element_candidates(
    elements: Iterable[UIElement],
    text: str,
    role: str | None,
    *,
    ignore: str | None = None,
    hidden: bool = False,
) -> list[Candidate]:
    """Visible elements scored by text match (when ``text``) and role fit.

    ``ignore`` is left out of each label before matching: within the record of "@leo",
    the menu item "Mute @leo" is the "Mute" asked for. ``hidden`` also scores elements
    scrolled out of sight (a record's anchor still names it).
    """
    out = []
    for el in elements:
        if (not el.visible and not hidden) or el.box.width <= 0 or el.box.height <= 0:
            continue
        have = element_role(el)
        if have == "group":
            continue
        fit = role_factor(role, have) * _field_kind(role, el) * _block_kind(role, el)
        if text:
            texts = element_texts(el)
            if ignore:
                texts += [(t.replace(ignore, " ").strip(), w) for t, w in texts if ignore in t]
            scored = [(text_score(text, t) * w, t) for t, w in texts if t]
            hint = el.attributes.get("hint")
            if hint and set(normalize(text).split()) <= set(hint.split()):
                scored.append((0.9 * 0.85, hint))  # every word of the query names the icon ("send")
            match, matched = max(scored, default=(0.0, ""))
        else:
            known = (have in KNOWN_ROLES or have == _SUBKINDS.get(role or "", role)) and fit >= 0.72
            match, matched = (0.9 if role and known else 0.0), el.label
        score = match * fit
        if score <= 0:
            continue
        out.append(
            Candidate(
                box=el.box,
                score=min(1.0, score),
                source="element",
                text=matched,
                role=have,
                element_id=el.id,
                why=f"element {el.id} ({have or 'no role'}) {matched!r}",
            )
        )
    return out


def ocr_to_screen(lines: Sequence[TextBox], geometry: ScreenGeometry) -> list[TextBox]:
    """OCR lines with their boxes converted from image pixels to screen space."""

    def convert(ln: TextBox) -> TextBox:
        chars = tuple(
            c.model_copy(update={"box": box_to_space(c.box, CoordSpace.SCREEN, geometry)}) for c in ln.chars
        )
        return ln.model_copy(
            update={"box": box_to_space(ln.box, CoordSpace.SCREEN, geometry), "chars": chars}
        )

    return [convert(ln) for ln in lines]


def shapes_to_screen(shapes: Sequence[Shape], geometry: ScreenGeometry) -> list[Shape]:
    """Outline shapes with their boxes converted to screen space."""
    return [s.model_copy(update={"box": box_to_space(s.box, CoordSpace.SCREEN, geometry)}) for s in shapes]


def containing_element(box: Box, elements: Sequence[UIElement]) -> UIElement | None:
    """The smallest visible element whose box holds the centre of ``box``."""
    c = box.center
    inside = [e for e in elements if e.visible and e.box.contains(c)]
    return min(inside, key=lambda e: e.box.width * e.box.height, default=None)


def containing_shape(box: Box, shapes: Sequence[Shape]) -> Shape | None:
    c = box.center
    return next((s for s in shapes if s.box.contains(c)), None)
