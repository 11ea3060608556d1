"""BrowserGym's accessibility tree and element properties as screenpilot elements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screenpilot.environments.observation import UIElement
from screenpilot.tools.points import Box

EDITABLE_ROLES = frozenset({"textbox", "searchbox", "combobox", "spinbutton"})
_SKIPPED_ROLES = frozenset({"none", "presentation", "LineBreak", "InlineTextBox", "StaticText"})


def _value(field: Any) -> Any:
    return field.get("value") if isinstance(field, Mapping) else None


def _properties(node: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for prop in node.get("properties", []):
        value = prop.get("value")
        if isinstance(value, Mapping) and "value" in value:
            out[str(prop.get("name"))] = value["value"]
    return out


def _checked(value: Any) -> bool | None:
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    return None


def to_element(node: Mapping[str, Any], extra: Mapping[str, Any], scale: float) -> UIElement | None:
    """One AX node with a BrowserGym id and a box, in the page's CSS pixels (or ``None``)."""
    bid = node.get("browsergym_id")
    role = str(_value(node.get("role")) or "")
    if bid is None or node.get("ignored") or role in _SKIPPED_ROLES:
        return None
    bbox = extra.get("bbox")
    if not bbox:
        return None
    x, y, w, h = (float(v) / scale for v in bbox)
    props = _properties(node)
    value = _value(node.get("value"))
    return UIElement(
        id=str(bid),
        role=role,
        name=str(_value(node.get("name")) or "").strip(),
        value=None if value is None else str(value),
        box=Box(x0=x, y0=y, x1=x + w, y1=y + h),
        visible=float(extra.get("visibility") or 0.0) >= 0.5,
        enabled=not props.get("disabled", False),
        editable=role in EDITABLE_ROLES or bool(props.get("editable")),
        checked=_checked(props.get("checked")),
        selected=_checked(props.get("selected")),
        attributes={"clickable": "true"} if extra.get("clickable") else {},
    )


def elements_of(obs: Mapping[str, Any], scale: float) -> tuple[UIElement, ...]:
    """Every element of a BrowserGym observation that has an id and a box.

    Args:
        obs: The observation dict (``axtree_object``, ``extra_element_properties``).
        scale: Screenshot pixels per CSS pixel (BrowserGym's boxes are in screenshot pixels).
    """
    extras: Mapping[str, Any] = obs.get("extra_element_properties") or {}
    out = []
    for node in (obs.get("axtree_object") or {}).get("nodes", []):
        element = to_element(node, extras.get(str(node.get("browsergym_id")), {}), scale)
        if element is not None:
            out.append(element)
    return tuple(out)
