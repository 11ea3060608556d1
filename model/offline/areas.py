"""Areas of the screen that narrow a search: outside-the-app panels, containers, records.

* Regions a page marks as not part of the app (``sp-kind=outside``) hold no target, for
  elements and OCR alike.
* ``within`` a container: a dialog (``role=dialog``), or the record or section of a text.
* ``scope``: the record (row, post, card) that holds an anchor text ("@leo"). The browser
  collector says which records each element sits in (``record``: ids, nearest first), so
  a menu that pops out of a post still belongs to it; without that, a record is the
  box of a ``record`` item around the anchor, or with no element tree the band of the
  screen from the anchor down to the next anchor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.sources import element_kind, element_role
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box


@dataclass(frozen=True)
class Record:
    """One record an anchor lies in: its box, and its collector id when known."""

    box: Box
    ident: str | None = None


def outside_boxes(obs: Observation) -> list[Box]:
    """Boxes of regions the page marks as not part of the app."""
    return [e.box for e in obs.elements if element_kind(e) == "outside"]


def in_any(box: Box, boxes: Sequence[Box]) -> bool:
    """Whether the centre of ``box`` lies in any of ``boxes``."""
    c = box.center
    return any(b.contains(c) for b in boxes)


def inside(inner: Box, outer: Box, slack: float = 2.0) -> bool:
    """Whether ``inner`` lies within ``outer`` (allowing ``slack`` pixels)."""
    return (
        inner.x0 >= outer.x0 - slack
        and inner.y0 >= outer.y0 - slack
        and inner.x1 <= outer.x1 + slack
        and inner.y1 <= outer.y1 + slack
    )


def app_elements(obs: Observation) -> list[UIElement]:
    """Visible elements that are part of the app (outside regions and their insides left out)."""
    out = outside_boxes(obs)
    return [e for e in obs.elements if e.visible and element_kind(e) != "outside" and not in_any(e.box, out)]


def _element(obs: Observation, c: Candidate) -> UIElement | None:
    if c.element_id is None:
        return None
    return next((e for e in obs.elements if e.id == c.element_id), None)


def containers(obs: Observation, within: str, find_text: Callable[[str], list[Candidate]]) -> list[Record]:
    """The containers ``within`` names: dialogs by role, else the record or section of a text."""
    if within in ("dialog", "menu"):
        boxes = [Record(e.box) for e in app_elements(obs) if element_role(e) == within]
        if boxes or within == "dialog":
            return boxes
    return records_of(obs, find_text(within)[:3])


def records_of(obs: Observation, anchors: Sequence[Candidate]) -> list[Record]:
    """For each anchor, the record holding it (or a band below it when there are no records)."""
    by_id = {e.attributes.get("record-id"): e for e in obs.elements if element_kind(e) == "record"}
    boxes = [e.box for e in by_id.values()]
    out: list[Record] = []
    for a in anchors:
        el = _element(obs, a)
        ids = (el.attributes.get("record") or "").split() if el is not None else []
        if ids and ids[0] in by_id:
            out.append(Record(by_id[ids[0]].box, ids[0]))
            continue
        holding = [r for r in boxes if r.contains(a.box.center)]
        if holding:
            out.append(Record(min(holding, key=lambda r: r.width * r.height)))
    if out or boxes:
        return out
    return [Record(_band(obs, a.box, [b.box for b in anchors])) for a in anchors]


def _band(obs: Observation, anchor: Box, anchors: Sequence[Box]) -> Box:
    """With no records: from the anchor's top to the next anchor below it, full width."""
    g = obs.geometry
    below = [b.y0 for b in anchors if b.y0 > anchor.y1]
    bottom = min(below, default=g.offset_y + g.logical_size.height)
    x1 = g.offset_x + g.logical_size.width
    return Box(x0=g.offset_x, y0=anchor.y0 - 4, x1=x1, y1=bottom, space=anchor.space)


def keep_inside(obs: Observation, cands: Sequence[Candidate], records: Sequence[Record]) -> list[Candidate]:
    """Candidates in any of ``records``: by the collector's record ids, else by their boxes."""
    ids = {r.ident for r in records if r.ident}
    out = []
    for c in cands:
        el = _element(obs, c)
        chain = (el.attributes.get("record") or "").split() if el is not None else []
        if ids and chain and ids & set(chain):
            out.append(c)
            continue
        area = c.box.width * c.box.height
        if any(r.box.contains(c.box.center) and area < r.box.width * r.box.height * 0.9 for r in records):
            out.append(c)
    return out
