"""Ranking helpers of the offline grounder: page controls, kind words, nesting, duplicates."""

from __future__ import annotations

import re
from collections.abc import Sequence

from screenpilot.environments.observation import UIElement
from screenpilot.model.offline.areas import inside
from screenpilot.model.offline.sources import element_role
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.templates import iou

_PAGE_LABEL = re.compile(r"^(?:\d{1,3}|<|>|«|»|‹|›|<<|>>|prev|previous|next|first|last|…|\.\.\.)$", re.I)


def pagination(elements: Sequence[UIElement]) -> set[str]:
    """Ids of page controls: a row of numbers and arrows ("< 1 2 3 >"), not content links."""
    marks = [
        e
        for e in elements
        if _PAGE_LABEL.match(e.label.strip()) and element_role(e) in ("link", "button", "clickable")
    ]
    out: set[str] = set()
    for e in marks:
        row = [o for o in marks if abs(o.box.center.y - e.box.center.y) < 6]
        if len(row) >= 3:
            out.add(e.id)
    boxes = [e.box for e in elements if e.id in out]
    # the bar that holds them ("< 1 2 3 >" as one clickable list) is part of it too
    out |= {e.id for e in elements if any(e.box.contains(b.center) and e.box != b for b in boxes)}
    return out


_KIND_WORDS = {
    "color": ("color", "colour", "颜色"),
    "date": ("date", "日期"),
    "time": ("time", "时间"),
    "spinbutton": ("spin", "spinner"),
    "slider": ("slider", "range", "滑块"),
}


def kind_words_first(cands: list[Candidate], elements: Sequence[UIElement], role: str) -> list[Candidate]:
    """Among fields that could be a date or colour control, those whose names say so first."""
    words = _KIND_WORDS.get(role)
    if not words:
        return cands
    by_id = {e.id: e for e in elements}
    out = []
    for c in cands:
        el = by_id.get(c.element_id or "")
        said = (
            " ".join((el.label, el.attributes.get("id", ""), el.attributes.get("class", ""))).lower()
            if el
            else ""
        )
        out.append(
            c.model_copy(update={"score": min(1.0, c.score + 0.05)}) if any(w in said for w in words) else c
        )
    return sorted(out, key=lambda c: -c.score)


def outermost(cands: list[Candidate]) -> list[Candidate]:
    """Text blocks that are not inside another block (a paragraph, not its bold words)."""
    return [
        c for c in cands if not any(o is not c and inside(c.box, o.box) and o.box != c.box for o in cands)
    ]


def dedupe(cands: Sequence[Candidate]) -> list[Candidate]:
    """Best first; a candidate on the same element or box as a better one is dropped."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: -c.score):
        if any((c.element_id and c.element_id == o.element_id) or iou(c.box, o.box) > 0.6 for o in out):
            continue
        out.append(c)
    return out
