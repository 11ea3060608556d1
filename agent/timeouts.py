"""Run a blocking call with a time limit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def call_with_timeout(fn: Callable[[], T], timeout_s: float, on_timeout: Callable[[], BaseException]) -> T:
    """Call ``fn`` in a daemon thread and wait at most ``timeout_s``.

    A call that overruns is abandoned (Python cannot kill a thread); backends also get
    the timeout themselves so that the abandoned call ends soon after.

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
    thread.start()
    if not done.wait(timeout_s):
        raise on_timeout()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
