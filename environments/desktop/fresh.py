"""A reading of the desktop kept until the next input, for a short while.

Within one step the driver reads the same state several times: the settle wait's last
frame, the effect measure after it, the next observation, the effect baseline of the next
action; the window list for each of them. With no input sent in between and only a moment
apart they read the same screen, so the driver reads once and hands the reading on. Any
input forgets it, and so does age: the screen may change by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

REUSE_S = 0.25
"""How old a reading may be for another stage of the step to use it instead of reading again."""


class Fresh(Generic[T]):
    """One kind of reading (a frame, the window state), reused while it is fresh.

    Args:
        max_age_s: How long after it was read a reading may be reused.
        clock: Monotonic seconds.
    """

    def __init__(self, max_age_s: float = REUSE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age_s = max_age_s
        self._clock = clock
        self._kept: tuple[float, T] | None = None

    def keep(self, value: T) -> T:
        """Remember ``value`` as read now."""
        self._kept = (self._clock(), value)
        return value

    def get(self) -> T | None:
        """The reading, while it is fresh."""
        kept = self._kept
        if kept is None or self._clock() - kept[0] > self.max_age_s:
            return None
        return kept[1]

    def take(self) -> T | None:
        """The fresh reading, once: it is forgotten."""
        value, self._kept = self.get(), None
        return value

    def get_or_read(self, read: Callable[[], T]) -> T:
        """The fresh reading, or a new one from ``read`` (kept)."""
        value = self.get()
        return self.keep(read()) if value is None else value

    def forget(self) -> None:
        """Drop the reading (input was sent: it is out of date)."""
        self._kept = None
