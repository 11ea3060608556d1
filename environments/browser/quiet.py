"""Settle: wait until the network and the DOM have been quiet for a short window, bounded."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.base import SettleResult
from screenpilot.environments.browser import pump
from screenpilot.environments.browser.scripts import QUIET_SINCE_JS
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.tools.errors import EnvTimeout

POLL_S = 0.03
LONG_REQUEST_S = 1.0
"""Requests in flight longer than this no longer hold the settle wait."""


def _dom_quiet_s(session: BrowserSession, timeout_s: float) -> float:
    """Seconds since the active tab's main frame last changed (large when unknown)."""
    page = session.page
    try:
        ms = pump.call(page, lambda impl: impl.evaluate(QUIET_SINCE_JS, None), timeout_s, "DOM check")
    except (PlaywrightError, EnvTimeout):
        return 0.0  # navigating, or busy: not quiet yet
    return float(ms) / 1000.0


def wait_quiet(session: BrowserSession, *, timeout_s: float, quiet_s: float) -> SettleResult:
    """Poll until no request is in flight and nothing changed for ``quiet_s``, or time runs out."""
    start = time.monotonic()
    while True:
        elapsed = time.monotonic() - start
        if session.dialogs.pending is not None:
            return SettleResult(stable=True, elapsed_s=elapsed)  # the page is frozen behind it
        left = timeout_s - elapsed
        if left <= 0:
            return SettleResult(stable=False, elapsed_s=elapsed)
        # measured from the start too: effects of the action (a popup, a fetch) may not
        # have reached us yet when the wait begins
        now = time.monotonic()
        since_network = now - max(session.last_network, start)
        # long polls, streams and beacons never finish: only young requests count
        busy = any(now - started < LONG_REQUEST_S for started in session.inflight.values())
        network_quiet = not busy and since_network >= quiet_s
        if network_quiet and _dom_quiet_s(session, min(left, 1.0)) >= quiet_s:
            return SettleResult(stable=True, elapsed_s=time.monotonic() - start)
        page = session.page
        pump.wait(page, [pump.new_signal(page)], min(POLL_S, max(0.0, left)))
