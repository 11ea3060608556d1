"""Settle: wait, bounded, until what an action set in motion has come to rest.

Before an action the environment takes a :class:`PageMark` (the tab, its document and the
count of its DOM mutations and scrolls). After it, one look at the page
(``settle_check.js``) and at the session's network record says whether anything happened
since: when nothing did and nothing is under way, the wait ends after that one look.
Otherwise it waits until the page has been quiet for ``quiet_s`` measured from the last
change (a DOM mutation, a scroll, a request starting or finishing, a new document or tab),
while nothing is under way: no scroll asked for and not begun yet, no young request in
flight, no timer or animation frame the action scheduled, no finite animation or
transition running, no navigation leaving the page, no document being parsed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from screenpilot.environments.base import SettleResult
from screenpilot.environments.browser import pump
from screenpilot.environments.browser.scripts import settle_peek_script, settle_script
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.tools.errors import EnvTimeout

POLL_S = 0.03
"""How often a page with work under way is looked at again."""
LONG_REQUEST_S = 1.0
"""Requests in flight longer than this no longer hold the settle wait."""
MIN_WAIT_S = 0.005
WHEEL_ARRIVAL_S = 0.2
"""How long a wheel turn the driver sent may take to reach the page (it is not waited for)."""


@dataclass(frozen=True)
class PageMark:
    """The active tab as it was before an action.

    Attributes:
        page: The active tab.
        tabs: How many tabs were open.
        doc: The document's ``performance.timeOrigin`` (``None``: not instrumented).
        changes: DOM mutations and scrolls in its main frame so far.
        wheels: Wheel events its main frame received so far.
        taken: When the mark was taken (monotonic seconds).
        wheel: Whether the action turns the wheel: the driver does not wait for the page
            to receive it, so the settle wait does, briefly.
    """

    page: Page
    tabs: int
    doc: float | None
    changes: int
    wheels: int
    taken: float
    wheel: bool = False


@dataclass
class Peek:
    """Asks each look of the settle wait to measure the action's effect too (see
    :meth:`~.effect_probe.EffectProbe.peek`); ``effect`` holds the measurement of the look
    that ended the wait, ``None`` when the wait ended otherwise (timed out, a dialog)."""

    page: Page
    effect: Any = None
    measured: bool = False


@dataclass(frozen=True)
class _Look:
    doc: float | None = None
    changes: int = 0
    since_change_s: float = 1e9
    wheels: int = 0
    busy: bool = False


_UNKNOWN = _Look(busy=True)
"""A look that failed: the page is navigating, closed or busy in a script."""


def take_mark(
    session: BrowserSession, *, wheel: bool = False, timeout_s: float = 1.0, taken: tuple[Any] | None = None
) -> PageMark:
    """Mark the active tab before an action; ``wheel``: the action turns the wheel.

    ``taken`` is a look at the active tab the caller already made just before (the effect
    probe's, in the same round trip as its hit-test); without one, one ``evaluate`` looks.
    """
    look = _parse(taken[0]) if taken is not None else _look(session.page, timeout_s)
    return PageMark(
        page=session.page,
        tabs=len(session.pages),
        doc=look.doc,
        changes=look.changes,
        wheels=look.wheels,
        taken=time.monotonic(),
        wheel=wheel,
    )


def _parse(raw: Any) -> _Look:
    if not isinstance(raw, dict):
        return _Look()
    doc = raw.get("doc")
    return _Look(
        doc=float(doc) if isinstance(doc, int | float) else None,
        changes=int(raw.get("changes") or 0),
        wheels=int(raw.get("wheels") or 0),
        since_change_s=float(raw.get("since_change_ms", 1e12)) / 1000.0,
        busy=any(raw.get(k) for k in ("timers", "animations", "navigating", "loading", "scrolling")),
    )


def _look(page: Page, timeout_s: float, peek: Peek | None = None) -> _Look:
    with_effect = peek is not None and peek.page is page
    script = settle_peek_script() if with_effect else settle_script()
    if peek is not None:
        peek.measured = False
    try:
        raw = pump.call(page, lambda impl: impl.evaluate(script, None), timeout_s, "settle check")
    except (PlaywrightError, EnvTimeout):
        return _UNKNOWN
    if not with_effect:
        return _parse(raw)
    assert peek is not None
    both = raw if isinstance(raw, dict) else {}
    peek.effect, peek.measured = both.get("effect"), True
    return _parse(both.get("look"))


def _last_change(session: BrowserSession, mark: PageMark | None, look: _Look, now: float) -> float | None:
    """When the page last changed since ``mark`` (monotonic seconds), ``None`` if it did not."""
    changed = now - look.since_change_s
    same = mark is not None and session.page is mark.page and len(session.pages) == mark.tabs
    if mark is None or not same or look.doc != mark.doc:
        return max(session.last_network, changed)  # no baseline, or another document: its own history
    changes = []
    if look.changes != mark.changes:
        changes.append(changed)
    if session.last_network > mark.taken:
        changes.append(session.last_network)
    return max(changes, default=None)


def _wheel_on_its_way(session: BrowserSession, mark: PageMark | None, look: _Look, now: float) -> bool:
    """Whether a wheel turn the action sent has not reached the page yet (for a short while)."""
    if mark is None or not mark.wheel or session.page is not mark.page or look.doc != mark.doc:
        return False
    return look.wheels == mark.wheels and now - mark.taken < WHEEL_ARRIVAL_S


def wait_settled(
    session: BrowserSession,
    mark: PageMark | None,
    *,
    timeout_s: float,
    quiet_s: float,
    peek: Peek | None = None,
) -> SettleResult:
    """Look until nothing is under way and nothing changed for ``quiet_s``, or time runs out.

    With a ``mark`` taken before the action, a page where nothing happened since and
    nothing is under way is settled after one look. With a ``peek``, each look measures
    the action's effect as well, and the one that ends the wait is kept in it.
    """
    result = _wait(session, mark, timeout_s=timeout_s, quiet_s=quiet_s, peek=peek)
    if peek is not None and not (result.stable and result.checks):
        peek.measured = False  # not the page at rest: the effect is measured afresh
    return result


def _wait(
    session: BrowserSession, mark: PageMark | None, *, timeout_s: float, quiet_s: float, peek: Peek | None
) -> SettleResult:
    start = time.monotonic()
    checks = 0
    last: float | None = None
    while True:
        elapsed = time.monotonic() - start
        if session.dialogs.pending is not None:
            return SettleResult(stable=True, elapsed_s=elapsed, checks=checks)  # the page is frozen behind it
        left = timeout_s - elapsed
        if left <= 0:
            return SettleResult(stable=False, elapsed_s=elapsed, checks=checks)
        page = session.page
        look = _look(page, min(left, 1.0), peek)
        checks += 1
        now = time.monotonic()
        # long polls, streams and beacons never finish: only young requests count
        busy = (
            look.busy
            or _wheel_on_its_way(session, mark, look, now)
            or any(now - started < LONG_REQUEST_S for started in session.inflight.values())
        )
        changed = now if busy else _last_change(session, mark, look, now)
        if changed is not None:
            last = changed if last is None else max(last, changed)
        if not busy and (last is None or now - last >= quiet_s):
            return SettleResult(stable=True, elapsed_s=time.monotonic() - start, checks=checks)
        pause = POLL_S if busy or last is None else max(MIN_WAIT_S, last + quiet_s - now)
        pump.wait(page, [pump.new_signal(page)], min(pause, max(0.0, timeout_s - (now - start))))
