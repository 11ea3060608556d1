"""Run a blocking call with a time limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def call_with_timeout(
    fn: Callable[[], T],
    timeout_s: float,
    on_timeout: Callable[[], BaseException],
    *,
    on_wait: Callable[[float], None] | None = None,
    every_s: float = 10.0,
) -> T:
    """Call ``fn`` in a daemon thread and wait at most ``timeout_s``.

    A call that overruns is abandoned (Python cannot kill a thread); backends also get
    the timeout themselves so that the abandoned call ends soon after. While waiting,
    ``on_wait(seconds_waited)`` is called every ``every_s`` seconds.

    Raises:
        The exception ``fn`` raised, or ``on_timeout()`` when time ran out.
    """
    box: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:
            box["error"] = e
        finally:
            done.set()

    thread = threading.Thread(target=target, name="screenpilot-call", daemon=True)
    start = time.monotonic()
    thread.start()
    while not done.is_set():
        left = timeout_s - (time.monotonic() - start)
        if left <= 0:
            raise on_timeout()
        if done.wait(min(left, every_s)) or on_wait is None:
            continue
        waited = time.monotonic() - start
        if waited < timeout_s:
            on_wait(waited)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
