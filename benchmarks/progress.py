"""A progress bar that stays readable in CI logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts finished episodes.

    On a terminal it redraws one line in place; elsewhere (CI logs, files) it prints a
    plain line per update, at most every ``log_every_s`` seconds and always at the end, so
    logs stay short and never fill with carriage returns.
    """

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        tty: bool | None = None,
        log_every_s: float = 10.0,
        width: int = 30,
        enabled: bool = True,
    ) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.log_every_s = log_every_s
        self.width = width
        self.enabled = enabled
        self.done = 0
        self.successes = 0
        self.retries = 0
        self._start = time.monotonic()
        self._last_log = 0.0

    def line(self) -> str:
        elapsed = time.monotonic() - self._start
        rate = self.successes / self.done if self.done else 0.0
        eta = (self.total - self.done) * elapsed / self.done if self.done else 0.0
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(frac * self.width)
        return (
            f"[{bar:<{self.width}}] {self.done}/{self.total} episodes  "
            f"success {100 * rate:.0f}%  retries {self.retries}  "
            f"elapsed {elapsed:.0f}s  eta {eta:.0f}s"
        )

    def update(self, *, success: bool | None = None, retry: bool = False) -> None:
        if retry:
            self.retries += 1
        if success is not None:
            self.done += 1
            self.successes += int(success)
        self._draw(force=self.done >= self.total)

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line())
            if force:
                self.stream.write("\n")
        else:
            now = time.monotonic()
            if not force and now - self._last_log < self.log_every_s:
                return
            self._last_log = now
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()
