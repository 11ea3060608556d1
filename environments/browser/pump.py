"""Run one Playwright call with a deadline, and let it wait behind a JS dialog.

The sync API blocks until a call returns, and an input event that opens ``alert()`` does
not return until the dialog is answered; a page stuck in a script blocks it forever. To
bound every action and to hand open dialogs to the policy, an input call runs as a task on
Playwright's own event loop, and we wait for it (or for a dialog, or for the deadline)
through the sync object's ``_sync`` entry point. This is the only module that touches
Playwright's private attributes (``_impl_obj``, ``_loop``, ``_sync``); they are stable
across 1.4x-1.6x releases, and a missing one is reported as a :class:`DriverError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from screenpilot.tools.errors import DriverError

Pending = asyncio.Future[Any]


def loop_of(sync_obj: Any) -> asyncio.AbstractEventLoop:
    try:
        loop: asyncio.AbstractEventLoop = sync_obj._loop
    except AttributeError as e:
        raise DriverError("this Playwright version cannot run bounded actions") from e
    return loop


def start(sync_obj: Any, make: Callable[[Any], Awaitable[Any]]) -> Pending:
    """Start ``make(impl)`` on Playwright's loop, where ``impl`` is ``sync_obj``'s async object."""
    try:
        impl = sync_obj._impl_obj
    except AttributeError as e:
        raise DriverError("this Playwright version cannot run bounded actions") from e
    return asyncio.ensure_future(make(impl), loop=loop_of(sync_obj))


def new_signal(sync_obj: Any) -> Pending:
    """A future on Playwright's loop that event handlers can resolve to interrupt a wait."""
    return loop_of(sync_obj).create_future()


def wait(sync_obj: Any, futures: list[Pending], timeout_s: float) -> None:
    """Let Playwright's loop run until one of ``futures`` is done or ``timeout_s`` passes."""

    async def first() -> None:
        await asyncio.wait(futures, timeout=max(0.0, timeout_s), return_when=asyncio.FIRST_COMPLETED)

    run = getattr(sync_obj, "_sync", None)
    if run is None:
        raise DriverError("this Playwright version cannot run bounded actions")
    run(first())


def result(task: Pending) -> Any:
    """The task's result, re-raising its exception (and marking it retrieved)."""
    return task.result()


def discard(task: Pending) -> None:
    """Forget a task, retrieving its exception so that asyncio does not warn about it."""
    if task.done():
        if not task.cancelled():
            task.exception()
    else:
        task.add_done_callback(lambda t: None if t.cancelled() else t.exception())


def call(
    sync_obj: Any,
    make: Callable[[Any], Awaitable[Any]],
    timeout_s: float,
    what: str,
    interrupts: Sequence[Pending] = (),
) -> Any:
    """Run ``make(impl)`` and return its result.

    Raises:
        EnvTimeout: After ``timeout_s``, or as soon as one of ``interrupts`` resolves (a
            JS dialog froze the page); the call is abandoned either way.
    """
    from screenpilot.tools.errors import EnvTimeout

    task = start(sync_obj, make)
    wait(sync_obj, [task, *interrupts], timeout_s)
    if not task.done():
        discard(task)
        cut = any(f.done() for f in interrupts)
        raise EnvTimeout(f"{what} was interrupted" if cut else f"{what} did not finish within {timeout_s:g}s")
    return task.result()
