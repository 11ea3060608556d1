"""Settle: wait, bounded, until what an action set in motion has come to rest.

Before an action the environment takes a :class:`PageMark` (the tab, its document and its
DOM mutation count). After it, one look at the page (``settle_check.js``) and at the
session's network record says whether anything happened since: when nothing did and
nothing is under way, the wait ends after that one look. Otherwise it waits until the
page has been quiet for ``quiet_s`` measured from the last change (a DOM mutation, a
request starting or finishing, a new document or tab), while nothing is under way: no
young request in flight, no timer or animation frame the action scheduled, no finite
animation or transition running, no navigation leaving the page, no document being parsed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from screenpilot.environments.base import SettleResult
from screenpilot.environments.browser import pump
from screenpilot.environments.browser.scripts import settle_script
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.tools.errors import EnvTimeout

POLL_S = 0.03
"""How often a page with work under way is looked at again."""
LONG_REQUEST_S = 1.0
"""Requests in flight longer than this no longer hold the settle wait."""
MIN_WAIT_S = 0.005


@dataclass(frozen=True)
class PageMark:
    """The active tab as it was before an action.

    Attributes:
        page: The active tab.
        tabs: How many tabs were open.
        doc: The document's ``performance.timeOrigin`` (``None``: not instrumented).
        mutations: DOM mutations in its main frame so far.
        taken: When the mark was taken (monotonic seconds).
    """

    page: Page
    tabs: int
    doc: float | None
    mutations: int
    taken: float


@dataclass(frozen=True)
class _Look:
    doc: float | None = None
    mutations: int = 0
    since_mutation_s: float = 1e9
    busy: bool = False


_UNKNOWN = _Look(busy=True)
"""A look that failed: the page is navigating, closed or busy in a script."""


def take_mark(session: BrowserSession, timeout_s: float = 1.0) -> PageMark:
    """Mark the active tab before an action (one ``evaluate``)."""
    look = _look(session.page, timeout_s)
    return PageMark(
        page=session.page,
        tabs=len(session.pages),
        doc=look.doc,
        mutations=look.mutations,
        taken=time.monotonic(),
    )


def _parse(raw: Any) -> _Look:
    if not isinstance(raw, dict):
        return _Look()
    doc = raw.get("doc")
    return _Look(
        doc=float(doc) if isinstance(doc, int | float) else None,
        mutations=int(raw.get("mutations") or 0),
        since_mutation_s=float(raw.get("since_mutation_ms", 1e12)) / 1000.0,
        busy=bool(raw.get("timers") or raw.get("animations") or raw.get("navigating") or raw.get("loading")),
    )


def _look(page: Page, timeout_s: float) -> _Look:
    script = settle_script()
    try:
        raw = pump.call(page, lambda impl: impl.evaluate(script, None), timeout_s, "settle check")
    except (PlaywrightError, EnvTimeout):
        return _UNKNOWN
    return _parse(raw)


def _last_change(session: BrowserSession, mark: PageMark | None, look: _Look, now: float) -> float | None:
    """When the page last changed since ``mark`` (monotonic seconds), ``None`` if it did not."""
    mutated = now - look.since_mutation_s
    same = mark is not None and session.page is mark.page and len(session.pages) == mark.tabs
    if mark is None or not same or look.doc != mark.doc:
        return max(session.last_network, mutated)  # no baseline, or another document: its own history
    changes = []
    if look.mutations != mark.mutations:
        changes.append(mutated)
    if session.last_network > mark.taken:
        changes.append(session.last_network)
    return max(changes, default=None)


def wait_settled(
    session: BrowserSession, mark: PageMark | None, *, timeout_s: float, quiet_s: float
) -> SettleResult:
    """Look until nothing is under way and nothing changed for ``quiet_s``, or time runs out.

    With a ``mark`` taken before the action, a page where nothing happened since and
    nothing is under way is settled after one look.
    """
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
        look = _look(page, min(left, 1.0))
        checks += 1
        now = time.monotonic()
        # long polls, streams and beacons never finish: only young requests count
        busy = look.busy or any(now - started < LONG_REQUEST_S for started in session.inflight.values())
        changed = now if busy else _last_change(session, mark, look, now)
        if changed is not None:
            last = changed if last is None else max(last, changed)
        if not busy and (last is None or now - last >= quiet_s):
            return SettleResult(stable=True, elapsed_s=time.monotonic() - start, checks=checks)
        pause = POLL_S if busy or last is None else max(MIN_WAIT_S, last + quiet_s - now)
        pump.wait(page, [pump.new_signal(page)], min(pause, max(0.0, timeout_s - (now - start))))
