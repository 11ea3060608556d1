"""A progress bar for long CLI work that stays readable in CI logs.

On a terminal it redraws one line in place. Anywhere else (CI logs, files, pipes) it
writes a plain line each time another ``every_percent`` of the work is done or
``every_seconds`` have passed, plus a final line, so logs show progress without thousands
of carriage returns. It is generic: benchmarks, workflows and report writing all use it
through :meth:`Progress.update`; it is thread-safe for parallel workers.

Example::

    with Progress(total=len(tasks), desc="miniwob") as bar:
        for task in tasks:
            ok = run(task)
            bar.update(ok=ok, note=task.name)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

_REDRAW_S = 0.1


def _clock_text(seconds: float) -> str:
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts finished units of work and shows it.

    Args:
        total: Units expected (``None`` when unknown: no bar, no percentage, no ETA).
        desc: A label printed first.
        stream: Where to write (default ``sys.stderr``, so stdout stays parseable).
        tty: Force in-place (``True``) or line (``False``) mode; default: ``stream.isatty()``.
        every_percent: Line mode: print each time this much more of ``total`` is done.
        every_seconds: Line mode: print at least this often while work goes on.
        width: Characters of the bar.
        clock: Monotonic clock (injectable for tests).
        enabled: ``False`` counts without writing anything (``--quiet``).
    """

    def __init__(
        self,
        total: int | None = None,
        *,
        desc: str = "",
        stream: TextIO | None = None,
        tty: bool | None = None,
        every_percent: float = 10.0,
        every_seconds: float = 30.0,
        width: int = 24,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool = True,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = tty if tty is not None else bool(isatty and isatty())
        self.desc = desc
        self.every_percent = every_percent
        self.every_seconds = every_seconds
        self.width = width
        self._clock = clock
        self.enabled = enabled
        self._lock = threading.Lock()
        self._closed = False
        self.reset(total)

    def reset(self, total: int | None) -> None:
        """Start counting again towards ``total``."""
        self.total = total
        self.done = 0
        self.failed = 0
        self.retries = 0
        self.note = ""
        self._start = self._last_print = self._clock()
        self._shown: tuple[int, int, int] | None = None
        self._next_percent = self.every_percent

    def update(self, n: int = 1, *, ok: bool | None = None, note: str = "") -> None:
        """Record ``n`` more finished units; ``ok=False`` counts them as failed."""
        with self._lock:
            self.done += n
            if ok is False:
                self.failed += n
            self.note = note
            if self._due():
                self._print()

    def retried(self, n: int = 1) -> None:
        """Record ``n`` retried units (they are not done yet; shown as a count)."""
        with self._lock:
            self.retries += n
            if self._due():
                self._print()

    def close(self) -> None:
        """Print the final state (once)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._print(final=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------

    @property
    def percent(self) -> float | None:
        return None if not self.total else min(100.0, 100.0 * self.done / self.total)

    def _due(self) -> bool:
        now = self._clock()
        if self.tty:
            return now - self._last_print >= _REDRAW_S or self.done == self.total
        pct = self.percent
        if pct is not None and pct >= self._next_percent:
            while self._next_percent <= pct:
                self._next_percent += self.every_percent
            return True
        return now - self._last_print >= self.every_seconds

    def render(self) -> str:
        """The status text (without bar in line mode)."""
        elapsed = self._clock() - self._start
        parts = [self.desc] if self.desc else []
        pct = self.percent
        if self.tty and pct is not None:
            filled = round(self.width * pct / 100)
            parts.append("[" + "#" * filled + "." * (self.width - filled) + "]")
        parts.append(f"{self.done}/{self.total}" if self.total is not None else f"{self.done}")
        if pct is not None:
            parts.append(f"{pct:3.0f}%")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.retries:
            parts.append(f"{self.retries} retried")
        rate = self.done / elapsed if elapsed > 0 else 0.0
        parts.append(f"{_clock_text(elapsed)} elapsed")
        if self.total and 0 < self.done < self.total and rate > 0:
            parts.append(f"ETA {_clock_text((self.total - self.done) / rate)}")
        if self.note:
            parts.append(f"· {self.note}")
        return " ".join(parts)

    def _print(self, *, final: bool = False) -> None:
        if not self.enabled:
            return
        if final and (self.done, self.failed, self.retries) == self._shown:
            if self.tty:
                self.stream.write("\n")
            return  # the last line already says it all
        self._shown = (self.done, self.failed, self.retries)
        self._last_print = self._clock()
        text = self.render()
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
