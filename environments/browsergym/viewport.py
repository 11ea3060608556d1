"""Keep the task's viewport in force after BrowserGym's screenshots.

BrowserGym captures each screenshot through a CDP session of its own: it overrides the
device metrics (to zoom), captures, writes the metrics back and detaches. Detaching drops
that session's override, and on the system Chromium (new headless mode, whose window
carries browser UI and is at least 500 px wide) the page is then left with the window's
content area instead of the task's viewport: a 332x214 MiniWoB++ page measured 127 px
high, and every click below that landed on ``<html>``. BrowserGym's own set-up (its
pinned Playwright with the headless shell) does not show this. The keeper holds one CDP
session per page that stays attached and puts the viewport back after every observation.
"""

from __future__ import annotations

from typing import Any


class ViewportKeeper:
    """Re-applies each page's Playwright viewport through a session that never detaches."""

    def __init__(self) -> None:
        self._sessions: dict[Any, Any] = {}

    def restore(self, page: Any) -> None:
        """Put ``page``'s viewport (``page.viewport_size``) back in force."""
        size = page.viewport_size
        if not size:
            return
        session = self._sessions.get(page)
        if session is None:
            session = self._sessions[page] = page.context.new_cdp_session(page)
        session.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": size["width"], "height": size["height"], "deviceScaleFactor": 1.0, "mobile": False},
        )

    def forget(self) -> None:
        """Drop the sessions (their browser is gone: BrowserGym opens one per episode)."""
        self._sessions.clear()
