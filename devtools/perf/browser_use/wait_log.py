"""Fixed waits of an asyncio program, by call site: sleeps and ``wait_for`` timeouts that expired.

Used by ``bu_side`` on browser-use: it wraps ``asyncio.sleep`` and ``asyncio.wait_for`` (the
names browser-use calls through the ``asyncio`` module) and, while ``on`` is set, records
every ``sleep(d > 0)`` and every ``wait_for`` that ended by its timeout, made from a file
whose path contains ``package``. Recording changes no wait.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")


class WaitLog:
    """Seconds waited per call site (``path:line``, relative to ``package``)."""

    def __init__(self, package: str) -> None:
        self.on = False
        self.package = f"/{package}/"
        self.sites: dict[str, list[float]] = defaultdict(list)

    def _site(self) -> str | None:
        frame = sys._getframe(2)
        where = frame.f_code.co_filename
        if not self.on or self.package not in where:
            return None
        return f"{where.split(self.package)[-1]}:{frame.f_lineno}"

    def install(self) -> None:
        sleep, wait_for = asyncio.sleep, asyncio.wait_for

        def logged_sleep(delay: float, *args: Any, **kwargs: Any) -> Awaitable[Any]:
            site = self._site()
            if site is not None and delay > 0:
                self.sites[f"sleep {site}"].append(float(delay))
            return sleep(delay, *args, **kwargs)

        async def logged_wait_for(aw: Awaitable[T], timeout: float | None) -> T:
            site = self._site()
            t0 = time.perf_counter()
            try:
                return await wait_for(aw, timeout)
            except TimeoutError:
                if site is not None:
                    self.sites[f"timeout {site}"].append(time.perf_counter() - t0)
                raise

        asyncio.sleep = logged_sleep  # type: ignore[assignment]
        asyncio.wait_for = logged_wait_for  # type: ignore[assignment]

    def per_step_ms(self, steps: int) -> dict[str, float]:
        """Milliseconds per step of the sites that waited at least once per step."""
        rows = {s: sum(d) * 1000 / steps for s, d in self.sites.items() if len(d) >= steps}
        return dict(sorted(rows.items(), key=lambda kv: -kv[1]))
