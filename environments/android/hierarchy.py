"""Turn ``uiautomator dump`` XML into :class:`~environments.observation.UIElement` values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from screenpilot.environments.observation import UIElement
from screenpilot.tools.errors import DriverError
from screenpilot.tools.points import Box, CoordSpace

_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
_ROLES = (
    ("EditText", "textbox"),
    ("AutoCompleteTextView", "textbox"),
    ("Switch", "switch"),
    ("ToggleButton", "switch"),
    ("CheckBox", "checkbox"),
    ("RadioButton", "radio"),
    ("Button", "button"),
    ("ImageView", "image"),
    ("SeekBar", "slider"),
    ("RecyclerView", "list"),
    ("ListView", "list"),
    ("ScrollView", "list"),
    ("TextView", "text"),
    ("TextClock", "text"),
)
_KEPT_ATTRS = ("resource-id", "class", "package", "clickable", "long-clickable", "scrollable", "focused")


def _role(cls: str, clickable: bool) -> str:
    short = cls.rsplit(".", 1)[-1]
    for suffix, role in _ROLES:
        if short.endswith(suffix):
            return role
    return "button" if clickable else "group"


def _true(node: ET.Element, name: str) -> bool:
    return node.get(name) == "true"


def _interesting(node: ET.Element) -> bool:
    return bool(
        node.get("text")
        or node.get("content-desc")
        or any(_true(node, k) for k in ("clickable", "checkable", "scrollable", "long-clickable"))
        or "EditText" in node.get("class", "")
    )


def parse_hierarchy(xml: str) -> tuple[UIElement, ...]:
    """Elements worth showing a policy: with text, a description, or an interaction.

    Boxes are in screen space, which on Android is device pixels of the current rotation.

    Raises:
        DriverError: When the text is not a hierarchy dump.
    """
    start = xml.find("<?xml")
    if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
        # dumps never declare entities; refusing them rules out entity-expansion attacks
        raise DriverError("uiautomator dump declares a DOCTYPE or entities; refusing to parse it")
    try:
        root = ET.fromstring(xml[start if start >= 0 else 0 :].strip())  # noqa: S314 (no DTD, see above)
    except ET.ParseError as e:
        raise DriverError(f"uiautomator dump is not valid XML: {e}") from e
    out: list[UIElement] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(root.iter("node")):
        m = _BOUNDS.fullmatch(node.get("bounds", ""))
        if m is None or not _interesting(node):
            continue
        x0, y0, x1, y1 = (int(v) for v in m.groups())
        if x1 <= x0 or y1 <= y0:
            continue
        out.append(_element(node, index, Box(x0=x0, y0=y0, x1=x1, y1=y1, space=CoordSpace.SCREEN), seen))
    return tuple(out)


def _element(node: ET.Element, index: int, box: Box, seen: dict[str, int]) -> UIElement:
    cls = node.get("class", "")
    rid = node.get("resource-id", "")
    base = rid.rsplit("/", 1)[-1] if rid else f"node{index}"
    seen[base] = seen.get(base, 0) + 1
    ident = base if seen[base] == 1 else f"{base}#{seen[base]}"
    editable = "EditText" in cls or "AutoCompleteTextView" in cls
    text = node.get("text", "")
    return UIElement(
        id=ident,
        role=_role(cls, _true(node, "clickable")),
        tag=cls.rsplit(".", 1)[-1],
        name=node.get("content-desc", ""),
        text=text,
        value=text if editable else None,
        placeholder=node.get("hint", ""),
        box=box,
        enabled=node.get("enabled", "true") == "true",
        editable=editable,
        checked=_true(node, "checked") if _true(node, "checkable") else None,
        selected=_true(node, "selected"),
        attributes={k: node.get(k, "") for k in _KEPT_ATTRS if node.get(k)},
    )
