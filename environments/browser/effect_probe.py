"""Measuring what a browser action hit and changed (the page's side is ``effects.js``).

Before an action: one ``evaluate`` in the active tab hit-tests the point (the element there,
and the element it covers when it is a backdrop, banner or dialog) and remembers the
focused element, the target's value and state, and the DOM mutation count. After the
action settled: one more ``evaluate`` says what changed, and the session's counters say
whether a tab opened, a JavaScript dialog opened, a download started or the allowlist
blocked a navigation. A JS dialog that is open blocks the page, so nothing is evaluated
while one is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, get_args

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from screenpilot.environments.browser import pump
from screenpilot.environments.browser.quiet import Peek
from screenpilot.environments.browser.scripts import effects_script, probe_begin_script
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.environments.effects import Change, ChangeKind, Effect, Hit
from screenpilot.tools.errors import EnvTimeout

LOOK_FRESH_S = 0.5
"""A look older than this (an action that was not executed right after its hit-test) is not used."""
PROBE_TIMEOUT_S = 2.0
"""Bound on each evaluate: a busy page must not stall the step for long."""


@dataclass
class _Before:
    page: Page
    url: str
    tabs: int
    dialogs: int
    downloads: int
    blocked: int
    hit: Hit | None = None
    probed: bool = False


class EffectProbe:
    """Begins and ends the measurement of one action at a time in a :class:`BrowserSession`."""

    def __init__(self, session: BrowserSession) -> None:
        self.session = session
        self._before: _Before | None = None
        self._look: tuple[Page, float, Any] | None = None
        self._peek: Peek | None = None

    def peek(self) -> Peek | None:
        """For the settle wait after the action: its looks measure the effect as well, so
        :meth:`end` needs no round trip of its own after a wait that came to rest."""
        before = self._before
        if before is None or not before.probed or self.session.dialogs.pending is not None:
            self._peek = None
        else:
            self._peek = Peek(page=before.page)
        return self._peek

    def take_look(self, page: Page) -> tuple[Any] | None:
        """The settle look :meth:`begin` took in ``page`` along with the hit-test, as a
        1-tuple (once; ``None`` when it took none there or not just now), for the mark before
        the action."""
        look, self._look = self._look, None
        if look is None or look[0] is not page or time.monotonic() - look[1] > LOOK_FRESH_S:
            return None
        return (look[2],)

    def begin(self, point: tuple[float, float] | None) -> None:
        """Hit-test ``point`` (viewport CSS pixels, or ``None``) and take the baseline."""
        s = self.session
        page = s.page
        before = _Before(
            page=page,
            url=page.url,
            tabs=len(s.pages),
            dialogs=s.dialogs.opened,
            downloads=s.downloads,
            blocked=s.notices.blocked_count,
        )
        self._before = before
        self._look = None
        self._peek = None
        if s.dialogs.pending is not None:
            return
        arg = {"phase": "begin", "point": list(point) if point else None}
        both = self._evaluate(page, arg, probe_begin_script())
        before.probed = both is not _FAILED
        raw = both.get("effect") if isinstance(both, dict) else None
        if isinstance(both, dict):
            self._look = (page, time.monotonic(), both.get("look"))
        if isinstance(raw, dict):
            before.hit = Hit(
                element=str(raw.get("element") or "the page"),
                target=str(raw.get("target") or ""),
                covered=bool(raw.get("covered")),
                layer=str(raw.get("layer") or ""),
            )

    def end(self) -> Effect:
        """What changed since :meth:`begin` (an empty effect when it was not called)."""
        before, self._before = self._before, None
        if before is None:
            return Effect()
        s = self.session
        changes: list[Change] = []
        if s.notices.blocked_count > before.blocked:
            changes.append(Change(kind="blocked", detail=s.notices.last_blocked))
        if s.dialogs.opened > before.dialogs:
            changes.append(Change(kind="dialog", detail="a JavaScript dialog opened"))
        page = before.page
        if not page.is_closed() and page.url != before.url:
            changes.append(Change(kind="url", detail=f"to {page.url}"))
        if before.probed and not page.is_closed() and s.dialogs.pending is None:
            changes.extend(self._page_changes(page, navigated=page.url != before.url))
        if len(s.pages) > before.tabs:
            changes.append(Change(kind="tab", detail=f"a new tab opened at {s.pages[-1].url}"))
        elif page.is_closed() or page not in s.pages:
            changes.append(Change(kind="tab", detail="the tab closed"))
        elif s.pages[s.active] is not page:
            changes.append(Change(kind="tab", detail=f"tab {s.active} is active"))
        if s.downloads > before.downloads:
            changes.append(Change(kind="download", detail="a download started"))
        return Effect(hit=before.hit, changes=tuple(changes))

    def _page_changes(self, page: Page, *, navigated: bool) -> list[Change]:
        peek, self._peek = self._peek, None
        if peek is not None and peek.measured and peek.page is page:
            raw = peek.effect  # measured by the look that ended the settle wait
        else:
            raw = self._evaluate(page, {"phase": "end", "point": None})
        if not isinstance(raw, dict):
            return []
        if raw.get("fresh"):
            # a new document; a new URL was already reported
            return [] if navigated else [Change(kind="url", detail="the page reloaded")]
        known = get_args(ChangeKind)
        return [Change(kind=k, detail=str(d)) for k, d in raw.get("changes") or [] if k in known]

    def _evaluate(self, page: Page, arg: dict[str, Any], script: str | None = None) -> Any:
        script = script or effects_script()
        try:
            return pump.call(page, lambda impl: impl.evaluate(script, arg), PROBE_TIMEOUT_S, "effect probe")
        except (PlaywrightError, EnvTimeout):
            return _FAILED  # navigating, closed or busy: the effect is reported without it


_FAILED = object()
