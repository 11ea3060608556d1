"""Look for a target that is not on the screen: scroll, open tabs, expand sections, turn pages.

One move per call, each recorded as a step of its own with what it looks for. Moves, in
order: scroll toward a match the element tree lists off screen; open a "more" menu in
the target's record; expand a collapsed section or tree node; open the next tab; scroll a
scrollable container or the page; go to the next page. A move is never repeated on the
same control, and the step machine bounds the number of moves per step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.areas import app_elements, records_of
from screenpilot.model.offline.effects import changed, snapshot
from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.progress import Emit, StepState
from screenpilot.model.offline.ranking import pagination
from screenpilot.model.offline.sources import element_kind, element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Click, MouseMove, Scroll, ScrollDirection
from screenpilot.tools.perception.text_match import text_score
from screenpilot.tools.points import Box, CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

_COLLAPSED_WORDS = re.compile(r"\b(?:expandable|collapsed|closed|collapsible)\b", re.I)
_MORE = re.compile(r"^(?:more|more options|more actions|…|\.\.\.|⋮|⋯|menu|options|actions|更多)$", re.I)
_NEXT = re.compile(r"^(?:next|next page|>|›|»|more results|load more|show more|下一页|更多)$", re.I)


def next_move(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, *, target: str | None
) -> Emit | None:
    """The next exploration move for a missing target, or ``None`` when there is none left."""
    query = target or step.target or ""
    text = parse_target(query).text
    last = st.data.pop("explore_last", None)
    if (
        last is not None
        and isinstance(last[0].action, Click)
        and changed(last[1], obs, None, pixels=False, reported=st.effects) is None
    ):
        # the move did nothing (its control was still loading, or animating): once more
        return Emit(last[0].action, f"{last[0].why} (again: nothing changed)")
    for move in (
        _page_for_ordinal,
        _toward_offscreen,
        _more_in_record,
        _open_record,
        _submenus,
        _expand,
        _tabs,
        _scroll_containers,
        _next_page,
    ):
        emit = move(runner, step, st, obs, text)
        if emit is not None:
            out = Emit(emit.action, f"looking for {query!r}: {emit.why}")
            st.data["explore_last"] = (out, snapshot(obs))
            return out
    return None


def _key(kind: str, el: UIElement) -> str:
    return f"{kind}:{el.tag}:{round(el.box.x0)}:{round(el.box.y0)}:{el.label[:20]}"


def _click_once(st: StepState, kind: str, el: UIElement, why: str) -> Emit | None:
    key = _key(kind, el)
    if key in st.tried:
        return None
    st.tried.append(key)
    return Emit(Click(at=el.box.center), why)


def _toward_offscreen(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str
) -> Emit | None:
    """Scroll toward a match the tree lists but that is off the page or clipped by its container."""
    if not text:
        return None
    g = obs.geometry
    for el in obs.elements:
        if el.visible or _score(text, el, step.scope) < 0.85:
            continue
        if sum(1 for t in st.tried if t.startswith(f"offscreen:{el.label[:20]}")) >= 6:
            return None
        holder = _holder(obs, el)
        if holder is not None:
            at, below = holder.center, el.box.center.y > holder.y1
        elif el.box.y0 >= g.offset_y + g.logical_size.height or el.box.y1 <= g.offset_y:
            at = Point(
                x=g.offset_x + g.logical_size.width / 2,
                y=g.offset_y + g.logical_size.height / 2,
                space=CoordSpace.SCREEN,
            )
            below = el.box.y0 >= g.offset_y + g.logical_size.height
        else:
            continue
        st.tried.append(f"offscreen:{el.label[:20]}:{st.explored}")
        direction = ScrollDirection.DOWN if below else ScrollDirection.UP
        return Emit(Scroll(direction=direction, amount=2, at=at), f"scroll toward {el.label[:30]!r}")
    return None


def _page_for_ordinal(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str
) -> Emit | None:
    """ "The 7th result" with three a page: go to page 3 and count from its first result."""
    spec = parse_target(step.target or "")
    if spec.ordinal is None or spec.ordinal <= 0 or spec.text or "page_size" in st.data:
        return None
    pages = pagination(app_elements(obs))
    if not pages:
        return None
    plain = step.target.replace(str(spec.ordinal), "1", 1) if step.target else ""
    shown = runner.grounder.find(obs, re.sub(r"\b\d+(?:st|nd|rd|th)\b", "", plain) or "link", role=spec.role)
    exact = [c for c in shown if c.role == spec.role]
    size = len(exact or shown)
    if size == 0 or spec.ordinal <= size:
        return None
    page = (spec.ordinal - 1) // size + 1
    st.data["page_size"], st.data["ordinal_offset"] = size, (page - 1) * size
    link = next((e for e in app_elements(obs) if e.id in pages and e.label.strip() == str(page)), None)
    if link is None:
        return None
    return Emit(Click(at=link.box.center), f"{size} a page: go to page {page}")


def _score(text: str, el: UIElement, ignore: str | None) -> float:
    labels = [el.name, el.text]
    if ignore:
        labels += [t.replace(ignore, " ").strip() for t in labels if ignore in t]
    return max(text_score(text, t) for t in labels if t) if any(labels) else 0.0


def more_matches(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Emit | None:
    """For steps on every match: scroll on to reveal the matches below, while there is more."""
    if st.explored >= 8:
        return None
    emit = _scroll_containers(runner, step, st, obs, "")
    if emit is not None:
        st.explored += 1
        return Emit(emit.action, f"looking for more of {step.target!r}: {emit.why}")
    return None


def clipped(obs: Observation, el: UIElement) -> bool:
    """Whether ``el`` is hidden by the edge of a scrollable container (scrolling shows it),
    not by something lying over it."""
    return _holder(obs, el) is not None


def _holder(obs: Observation, el: UIElement) -> Box | None:
    """The visible scrollable container that clips ``el`` (it lies beside the box vertically)."""
    for s in obs.elements:
        if "scroll" not in s.attributes or not s.visible or s is el:
            continue
        if s.box.x0 - 2 <= el.box.center.x <= s.box.x1 + 2 and not s.box.contains(el.box.center):
            return s.box
    return None


def _more_in_record(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str
) -> Emit | None:
    if not step.scope:
        return None
    anchors = [a for a in runner.grounder.anchors(obs, step.scope) if a.score >= 0.8]
    for rec in records_of(obs, anchors):
        for el in app_elements(obs):
            words = (el.label or el.attributes.get("hint", "")).strip()
            mine = rec.ident in (el.attributes.get("record") or "").split() or rec.box.contains(el.box.center)
            if mine and (_MORE.match(words) or el.attributes.get("aria-haspopup") == "true"):
                emit = _click_once(st, "more", el, f"open {words or 'the menu'!r} of {step.scope!r}")
                if emit is not None:
                    return emit
    return None


def _open_record(runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str) -> Emit | None:
    """Open the scope's record (an email from its row); the target is then looked for everywhere."""
    if not step.scope or st.data.get("unscoped"):
        return None
    anchors = [a for a in runner.grounder.find(obs, f'"{step.scope}"') if a.score >= 0.8]
    if not anchors:
        return None
    st.data["unscoped"] = True
    return Emit(Click(at=anchors[0].box.center), f"open the item of {step.scope!r}")


def _submenus(runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str) -> Emit | None:
    """Point at each menu item that opens a submenu (menus open on hover)."""
    parents = [
        e
        for e in app_elements(obs)
        if e.attributes.get("aria-haspopup") == "true" and element_role(e) == "menu"
    ]
    for el in sorted(parents, key=lambda e: (e.box.y0, e.box.x0)):
        key = _key("submenu", el)
        if key in st.tried:
            continue
        st.tried.append(key)
        return Emit(MouseMove(at=el.box.center), f"point at {el.label[:30]!r} to open its submenu")
    return None


def _expand(runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str) -> Emit | None:
    closed = [
        el
        for el in app_elements(obs)
        if element_kind(el) not in ("record", "scroller", "text")
        and (
            el.attributes.get("aria-expanded") == "false"
            or el.attributes.get("folded") == "true"
            or _COLLAPSED_WORDS.search(el.attributes.get("class", ""))
        )
    ]
    for el in sorted(closed, key=lambda e: (e.box.y0, e.box.width * e.box.height)):
        emit = _click_once(st, "expand", el, f"expand {el.label[:30] or 'a section'!r}")
        if emit is not None:
            return emit
    return None


def _tabs(runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str) -> Emit | None:
    tabs = [el for el in app_elements(obs) if element_role(el) == "tab" and el.selected is not True]
    for el in sorted(tabs, key=lambda e: (e.box.y0, e.box.x0)):
        if "active" in el.attributes.get("class", "").split() or "ui-tabs-active" in el.attributes.get(
            "class", ""
        ):
            continue
        emit = _click_once(st, "tab", el, f"open the tab {el.label[:30]!r}")
        if emit is not None:
            return emit
    return None


def _scroll_containers(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str
) -> Emit | None:
    for el in app_elements(obs):
        pos = el.attributes.get("scroll")
        if not pos or el.tag == "textarea":
            continue
        top, height, client = (float(v) for v in pos.split("/"))
        if top + client >= height - 2:
            continue
        key = f"scroll:{el.tag}:{round(el.box.x0)}:{round(el.box.y0)}:{round(top)}"
        if key in st.tried:
            continue
        st.tried.append(key)
        notches = max(1, int(client * 0.8 // 100))  # less than a screenful: nothing is skipped
        return Emit(
            Scroll(direction=ScrollDirection.DOWN, amount=notches, at=el.box.center), "scroll down the list"
        )
    return None


def _next_page(runner: StepRunner, step: Step, st: StepState, obs: Observation, text: str) -> Emit | None:
    for el in app_elements(obs):
        if element_role(el) in ("link", "button", "clickable") and _NEXT.match(el.label.strip()):
            return _click_once(st, "page", el, f"go to the next page ({el.label!r})")
    pages = [
        el
        for el in app_elements(obs)
        if element_role(el) in ("link", "button", "clickable") and el.label.strip().isdigit()
    ]
    for el in sorted(pages, key=lambda e: int(e.label.strip())):
        emit = _click_once(st, "page", el, f"go to page {el.label.strip()}")
        if emit is not None:
            return emit
    return None
