"""Serialise a view tree the way ``uiautomator dump`` writes it."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from screenpilot.environments.android.simulator.layout import Node


def _b(value: bool) -> str:
    return "true" if value else "false"


def _node(n: Node, index: int, out: list[str]) -> None:
    x0, y0, x1, y1 = n.bounds
    attrs = [
        ("index", str(index)),
        ("text", n.text),
        ("resource-id", n.rid),
        ("class", n.cls),
        ("package", n.package),
        ("content-desc", n.desc),
        ("checkable", _b(n.checkable)),
        ("checked", _b(n.checked)),
        ("clickable", _b(n.clickable)),
        ("enabled", _b(n.enabled)),
        ("focusable", _b(n.focusable)),
        ("focused", _b(n.focused)),
        ("scrollable", _b(n.scrollable)),
        ("long-clickable", _b(n.long_clickable)),
        ("password", _b(n.password)),
        ("selected", _b(n.selected)),
    ]
    if n.hint:
        attrs.append(("hint", n.hint))
    attrs.append(("bounds", f"[{x0},{y0}][{x1},{y1}]"))
    text = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs)
    if not n.children:
        out.append(f"<node {text} />")
        return
    out.append(f"<node {text}>")
    for i, child in enumerate(n.children):
        _node(child, i, out)
    out.append("</node>")


def dump_xml(root: Node, rotation: int) -> str:
    """The XML document (one line, as devices write it)."""
    out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", f'<hierarchy rotation="{rotation}">']
    _node(root, 0, out)
    out.append("</hierarchy>")
    return "".join(out)
