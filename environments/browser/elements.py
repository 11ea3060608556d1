"""Elements of every frame of a page, with boxes in viewport CSS pixels.

Besides semantic controls, ``elements.js`` lists what a person also clicks or reads; these
carry an ``sp-kind`` attribute (:data:`KIND_ATTRIBUTE`): ``clickable`` (a pointer listener,
a pointer cursor or an SVG shape that reacts), ``text`` (a block of visible text),
``record`` (one of several repeated rows, posts or cards, with no text of its own),
``scroller`` (a scrollable container; ``scroll`` is ``top/height/client`` in CSS px) and
``outside`` (a region the page marks with ``data-sp-outside``: not part of the app, such
as a benchmark's instruction panel; nothing inside it is listed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from screenpilot.environments.browser import pump
from screenpilot.environments.browser.scripts import FRAME_ORIGIN_JS, MASK_SELECTOR, elements_script
from screenpilot.environments.observation import UIElement
from screenpilot.tools.errors import EnvTimeout
from screenpilot.tools.points import Box, CoordSpace

Rect = tuple[float, float, float, float]
KIND_ATTRIBUTE = "sp-kind"
"""Attribute naming what a non-semantic element is: clickable, text, record, scroller, outside."""


def frame_rect(
    frame: Frame, cache: dict[Frame, Rect | None], viewport: Rect, timeout_s: float = 5.0
) -> Rect | None:
    """The visible content box of ``frame`` in the page's viewport, or ``None`` when unknown.

    The result is clipped by every ancestor frame, so it is the area where the frame's
    content can actually be seen and clicked.
    """
    if frame in cache:
        return cache[frame]
    parent = frame.parent_frame
    rect: Rect | None
    if parent is None:
        rect = viewport
    else:
        parent_rect = frame_rect(parent, cache, viewport, timeout_s)
        rect = None
        if parent_rect is not None:
            try:
                handle = frame.frame_element()
                x0, y0, x1, y1 = pump.call(
                    handle, lambda impl: impl.evaluate(FRAME_ORIGIN_JS, None), timeout_s, "frame box"
                )
                handle.dispose()
                rect = (parent_rect[0] + x0, parent_rect[1] + y0, parent_rect[0] + x1, parent_rect[1] + y1)
            except (PlaywrightError, EnvTimeout):
                rect = None  # the frame went away while we looked
    cache[frame] = rect
    return rect


def _clip_visible(box: Box, clip: Rect) -> bool:
    c = box.center
    return clip[0] <= c.x < clip[2] and clip[1] <= c.y < clip[3]


def _element(raw: dict[str, Any], ident: str, origin: Rect, clip: Rect, frame_name: str) -> UIElement:
    x0, y0, x1, y1 = raw["box"]
    dx, dy = origin[0], origin[1]
    box = Box(x0=x0 + dx, y0=y0 + dy, x1=x1 + dx, y1=y1 + dy, space=CoordSpace.SCREEN)
    attributes = {str(k): str(v) for k, v in raw.get("attributes", {}).items()}
    if frame_name:
        attributes["frame"] = frame_name
    return UIElement(
        id=ident,
        role=raw["role"],
        tag=raw["tag"],
        name=raw["name"],
        text=raw["text"],
        value=raw["value"],
        placeholder=raw["placeholder"],
        box=box,
        visible=bool(raw["visible"]) and _clip_visible(box, clip),
        enabled=bool(raw["enabled"]),
        editable=bool(raw["editable"]),
        checked=raw["checked"],
        selected=raw["selected"],
        attributes=attributes,
    )


@dataclass(frozen=True)
class PageElements:
    """What one pass over a page's frames found.

    Attributes:
        elements: The elements, main frame first.
        mask_frames: Frames that hold password fields, or that could not be read (so they
            may); screenshots cover password fields in these.
        title: The main frame's document title, read in the same pass (``None``: unread).
    """

    elements: tuple[UIElement, ...]
    mask_frames: tuple[Frame, ...]
    title: str | None = None


def collect_elements(
    page: Page,
    viewport: tuple[int, int],
    *,
    timeout_s: float = 10.0,
    max_elements: int = 400,
    max_extra: int = 300,
    max_text: int = 120,
    interrupts: Sequence[pump.Pending] = (),
) -> PageElements:
    """Elements of the main frame and every child frame, one ``evaluate`` per frame.

    ``max_elements`` caps the semantic controls, ``max_extra`` the visible non-semantic
    items (clickables, text blocks, records, scrollers) of each frame.

    Element ids are ``e<n>`` in the main frame and ``f<k>.e<n>`` in the k-th child frame;
    they are stable only within one observation.

    Raises:
        EnvTimeout: When the main frame does not answer within ``timeout_s``, or when one
            of ``interrupts`` (a JS dialog opened) resolves first.
    """
    view: Rect = (0.0, 0.0, float(viewport[0]), float(viewport[1]))
    cache: dict[Frame, Rect | None] = {}
    out: list[UIElement] = []
    mask: list[Frame] = []
    title: str | None = None
    opts = {
        "maxElements": max_elements,
        "maxExtra": max_extra,
        "maxRecords": 60,
        "maxVisit": 6000,
        "maxText": max_text,
        "maskSelector": MASK_SELECTOR,
    }
    for index, frame in enumerate(page.frames):
        if frame.is_detached():
            continue
        clip = frame_rect(frame, cache, view, timeout_s)
        try:
            args = {**opts, "frameText": index > 0}
            data = json.loads(_evaluate(frame, elements_script(), args, timeout_s, interrupts))
        except (PlaywrightError, EnvTimeout) as e:
            if isinstance(e, EnvTimeout) and (index == 0 or any(f.done() for f in interrupts)):
                raise
            mask.append(frame)  # unread: it may hold a password field
            continue  # navigated, detached or stuck; the next observation sees it
        if data["secrets"]:
            mask.append(frame)
        if index == 0:
            title = str(data.get("title") or "")
        if clip is None:
            continue
        prefix = "" if index == 0 else f"f{index}."
        name = "" if index == 0 else (frame.name or frame.url)
        found = [
            _element(raw, f"{prefix}e{n}", clip, _intersect(clip, view), name)
            for n, raw in enumerate(data["elements"])
        ]
        if index > 0:
            found = _inherit_layer(found, out, clip, str(data.get("text") or ""))
        out.extend(found)
    return PageElements(
        elements=tuple(out[: (max_elements + max_extra) * 2]), mask_frames=tuple(mask), title=title
    )


def _inherit_layer(found: list[UIElement], outer: list[UIElement], clip: Rect, text: str) -> list[UIElement]:
    """A frame's elements outside any layer of their own take the layer of the ``<iframe>``
    that holds them (a consent frame fixed over the page), with the frame's text."""
    middle = Box(x0=clip[0], y0=clip[1], x1=clip[2], y1=clip[3], space=CoordSpace.SCREEN).center
    holders = [e for e in outer if e.role == "frame" and "layer" in e.attributes and e.box.contains(middle)]
    if not holders:
        return found
    holder = min(holders, key=lambda e: e.box.width * e.box.height).attributes
    layer = {"layer": holder["layer"], "layer_id": f"frame-{holder['layer_id']}", "layer_text": text}
    out = []
    for e in found:
        inherits = e.visible and "layer" not in e.attributes
        out.append(e.model_copy(update={"attributes": {**e.attributes, **layer}}) if inherits else e)
    return out


def _evaluate(
    frame: Frame, script: str, arg: dict[str, Any], timeout_s: float, interrupts: Sequence[pump.Pending]
) -> str:
    return str(
        pump.call(frame, lambda impl: impl.evaluate(script, arg), timeout_s, "reading elements", interrupts)
    )


def _intersect(a: Rect, b: Rect) -> Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
