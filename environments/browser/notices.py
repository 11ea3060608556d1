"""Things that happened in the browser which the policy should hear about."""

from __future__ import annotations

import asyncio
from typing import Any


class NoticeBoard:
    """Collects notices between observations (consecutive duplicates are kept once)."""

    def __init__(self, limit: int = 20) -> None:
        self._items: list[str] = []
        self._limit = limit
        self.blocked: list[str] = []
        """URLs of main-frame navigations the allowlist blocked since :meth:`take_blocked`
        (the first request or any redirect hop; blocked sub-frames are only notices)."""
        self.blocked_count = 0
        """Navigations the allowlist blocked so far (action effects count them)."""
        self.last_blocked = ""
        """The notice of the last blocked navigation."""
        self.block_signal: asyncio.Future[Any] | None = None
        """Resolved by :meth:`block` (a load waiting on it stops waiting)."""
        self.render_check = False
        """Set by :meth:`block`: the page may have stopped rendering (see the environment)."""

    def add(self, message: str) -> None:
        if self._items and self._items[-1] == message:
            return
        self._items.append(message)
        del self._items[: -self._limit]

    def drain(self) -> tuple[str, ...]:
        """All notices since the last drain."""
        items, self._items = tuple(self._items), []
        return items

    def block(self, url: str, message: str) -> None:
        """Record a blocked main-frame navigation to ``url``, with the notice that explains it."""
        self.add(message)
        self.blocked.append(url)
        self.blocked_count += 1
        self.last_blocked = message
        self.render_check = True
        if self.block_signal is not None and not self.block_signal.done():
            self.block_signal.set_result(url)

    def take_blocked(self) -> list[str]:
        items, self.blocked = self.blocked, []
        return items
