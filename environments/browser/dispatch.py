"""Carry out actions in the active tab: real input at mapped coordinates, navigation, tabs."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from screenpilot.environments.browser import gestures, pump
from screenpilot.environments.browser.allowlist import normalize_url, url_allowed
from screenpilot.environments.browser.capture import viewport_of
from screenpilot.environments.browser.config import BrowserConfig
from screenpilot.environments.browser.keymap import playwright_key
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.environments.geometry import ScreenGeometry, to_screen_float
from screenpilot.tools.actions import (
    Action,
    Click,
    CloseTab,
    Drag,
    GoBack,
    GoForward,
    KeyPress,
    LongPress,
    MouseMove,
    Navigate,
    NewTab,
    Reload,
    Scroll,
    ScrollDirection,
    SwitchTab,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ActionRejected, DriverError, EnvTimeout
from screenpilot.tools.points import Point

BROWSER_ACTIONS: frozenset[str] = frozenset(
    {
        "click",
        "mouse_move",
        "drag",
        "long_press",
        "type",
        "key",
        "scroll",
        "wait",
        "navigate",
        "back",
        "forward",
        "reload",
        "new_tab",
        "switch_tab",
        "close_tab",
    }
)
"""Every action the browser environment executes."""

Make = Callable[[Any], Awaitable[Any]]

DIALOG_NOTE = "; a JavaScript dialog opened and waits for an answer"


class ActionRunner:
    """Executes one action at a time against a :class:`BrowserSession`."""

    def __init__(self, session: BrowserSession, config: BrowserConfig) -> None:
        self.session = session
        self.config = config
        self.timeout_s = 30.0
        self.pointer: tuple[float, float] | None = None
        self.blocked_task: pump.Pending | None = None
        """An input call waiting behind a dialog that the policy has to answer."""
        self.last_status: int | None = None
        """HTTP status of the last load (``None``: nothing loaded, or no response)."""

    # -- helpers --------------------------------------------------------------------------

    def xy(self, point: Point, geometry: ScreenGeometry) -> tuple[float, float]:
        return to_screen_float(point, geometry)

    def run_bounded(
        self, page: Page, make: Make, what: str, slack_s: float = 0.0, stop: pump.Pending | None = None
    ) -> tuple[bool, Any]:
        """Run a coroutine on the page, bounded by the action timeout.

        Returns:
            ``(True, result)``, or ``(False, None)`` when a JS dialog opened and waits for
            the policy (the call is parked in :attr:`blocked_task` until it is answered).

        Raises:
            EnvTimeout: Past the action timeout (plus ``slack_s``), or when ``stop``
                resolved first (the call is abandoned).
            playwright.sync_api.Error: What the call raised.
        """
        dialogs = self.session.dialogs
        task = pump.start(page, make)
        signal = pump.new_signal(page)
        dialogs.signal = signal
        try:
            pump.wait(page, [task, signal, *([stop] if stop else [])], self.timeout_s + slack_s)
        finally:
            dialogs.signal = None
            if not signal.done():
                signal.cancel()
        if task.done():
            return True, task.result()
        if dialogs.pending is not None:
            self.blocked_task = task
            return False, None
        pump.discard(task)
        raise EnvTimeout(f"{what} did not finish within {self.timeout_s:g}s (is the page stuck?)")

    def run_input(self, page: Page, make: Make, what: str) -> str:
        """Run an input coroutine, bounded; returns a note when a dialog stopped it."""
        try:
            finished, _ = self.run_bounded(page, make, what)
        except PlaywrightError as e:
            raise DriverError(f"{what} failed: {_first_line(e)}") from e
        return "" if finished else DIALOG_NOTE

    def finish_blocked(self, page: Page) -> None:
        """After a dialog was answered, let the input call it interrupted complete."""
        task, self.blocked_task = self.blocked_task, None
        if task is None:
            return
        pump.wait(page, [task], min(self.timeout_s, 5.0))
        pump.discard(task)

    # -- dispatch -------------------------------------------------------------------------

    def execute(self, action: Action, geometry: ScreenGeometry) -> str:
        """Carry out ``action``; returns a short description of what happened."""
        match action:
            case Click() | MouseMove() | Drag() | LongPress() | Scroll():
                return self._pointer(action, geometry)
            case TypeText() | KeyPress() | Wait():
                return self._keyboard(action)
            case Navigate(url=url):
                return self.navigate(url)
            case GoBack() | GoForward() | Reload():
                return self._history(action)
            case NewTab() | SwitchTab() | CloseTab():
                return self._tabs(action)
        raise ActionRejected(f"the browser cannot execute {action.action!r}")

    def _pointer(
        self, action: Click | MouseMove | Drag | LongPress | Scroll, geometry: ScreenGeometry
    ) -> str:
        page = self.session.page
        make: Make
        match action:
            case Click(at=at, button=button, count=count, modifiers=mods):
                p = self.xy(at, geometry)
                keys = [playwright_key(m) for m in mods]
                make = partial(gestures.click, at=p, button=button.value, count=count, modifiers=keys)
                what = f"click at ({p[0]:.1f}, {p[1]:.1f})"
            case MouseMove(at=at):
                p = self.xy(at, geometry)
                make = partial(gestures.move, at=p)
                what = f"move to ({p[0]:.1f}, {p[1]:.1f})"
            case Drag(path=path, from_pointer=from_pointer, button=button, hold_seconds=hold):
                points = [self.xy(q, geometry) for q in path]
                if from_pointer:
                    points.insert(0, self.pointer or points[0])
                p = points[-1]
                make = partial(gestures.drag, path=points, button=button.value, hold_s=hold)
                what = f"drag to ({p[0]:.1f}, {p[1]:.1f})"
            case LongPress(at=at, seconds=seconds):
                p = self.xy(at, geometry)
                make = partial(gestures.long_press, at=p, seconds=seconds)
                what = f"long press at ({p[0]:.1f}, {p[1]:.1f})"
            case Scroll(at=at, direction=direction, amount=amount):
                target = self.xy(at, geometry) if at is not None else self._scroll_origin(page)
                dx, dy = _wheel_delta(direction, amount * self.config.scroll_step_px)
                p = target
                make = partial(gestures.wheel, at=target, dx=dx, dy=dy)
                what = f"scroll {direction.value} by {abs(dx or dy):g}px at ({p[0]:.0f}, {p[1]:.0f})"
        note = self.run_input(page, make, what)
        self.pointer = p
        return what + note

    def _scroll_origin(self, page: Page) -> tuple[float, float]:
        if self.pointer is not None:
            return self.pointer
        w, h = viewport_of(page)
        return w / 2, h / 2

    def _keyboard(self, action: TypeText | KeyPress | Wait) -> str:
        page = self.session.page
        make: Make
        match action:
            case TypeText(text=None):
                raise DriverError("the secret was not resolved before it reached the browser")
            case TypeText(text=str(text), clear_first=clear, submit=submit):
                select_all = "Control+KeyA" if clear else None
                make = partial(gestures.type_text, text=text, select_all=select_all, submit=submit)
                what = f"typed {len(text)} characters" + (" and pressed Enter" if submit else "")
            case KeyPress(keys=keys):
                names = [playwright_key(k) for k in keys]
                make = partial(gestures.chord, keys=names)
                what = "pressed " + "+".join(keys)
            case Wait(seconds=seconds):
                wait_s = min(seconds, self.timeout_s)
                make = partial(gestures.pause, seconds=wait_s)
                what = f"waited {wait_s:g}s"
        return what + self.run_input(page, make, what)

    # -- navigation -----------------------------------------------------------------------

    def check_url(self, url: str) -> str:
        """The normalised URL, or ``ActionRejected`` when it may not be loaded."""
        full = normalize_url(url)
        scheme = urlsplit(full).scheme
        if scheme in ("javascript", "chrome", "devtools", "view-source"):
            raise ActionRejected(f"{scheme}: URLs cannot be opened by the agent")
        if not url_allowed(full, self.config.allowed_domains):
            raise ActionRejected(
                f"navigation to {full} is blocked: "
                f"allowed domains are {', '.join(self.config.allowed_domains)}"
            )
        return full

    def navigate(self, url: str) -> str:
        full = self.check_url(url)
        page = self.session.page
        timeout_ms = min(self.timeout_s, self.config.navigation_timeout_s) * 1000
        return self._load(
            page,
            lambda impl: impl.goto(full, timeout=timeout_ms, wait_until="domcontentloaded", referer=None),
            f"load {full}",
        )

    def _load(self, page: Page, make: Make, what: str) -> str:
        self.last_status = None
        notices = self.session.notices
        notices.take_blocked()
        started = time.monotonic()
        # a load whose page navigates to a blocked URL while it loads never finishes: stop
        # waiting as soon as the block is seen
        stop = notices.block_signal = pump.new_signal(page)
        try:
            finished, response = self.run_bounded(page, make, what, slack_s=1.0, stop=stop)
        except (PlaywrightError, EnvTimeout) as e:
            blocked = notices.take_blocked()
            if blocked:
                raise ActionRejected(self._blocked_message(blocked[0])) from e
            if isinstance(e, EnvTimeout):
                raise
            raise DriverError(f"could not {what}: {_first_line(e)}") from e
        finally:
            notices.block_signal = None
            if not stop.done():
                stop.cancel()
        blocked = self.session.notices.take_blocked()
        if blocked:
            raise ActionRejected(self._blocked_message(blocked[0]))
        elapsed = time.monotonic() - started
        if not finished:
            return what + DIALOG_NOTE
        if response is None:
            return f"{what}: nothing to load"
        status = self.last_status = int(response.status)
        suffix = f" (HTTP {status})" if status >= 400 else ""
        return f"{what}: done in {elapsed:.2f}s{suffix}"

    def _blocked_message(self, url: str) -> str:
        return (
            f"the navigation was redirected to {url}, which is blocked: allowed domains are "
            f"{', '.join(self.config.allowed_domains)}"
        )

    def _history(self, action: GoBack | GoForward | Reload) -> str:
        page = self.session.page
        ms = min(self.timeout_s, self.config.navigation_timeout_s) * 1000
        make: Make
        match action:
            case GoBack():
                make = partial(_call, "go_back", timeout=ms, wait_until="domcontentloaded")
                what = "go back"
            case GoForward():
                make = partial(_call, "go_forward", timeout=ms, wait_until="domcontentloaded")
                what = "go forward"
            case Reload():
                make = partial(_call, "reload", timeout=ms, wait_until="domcontentloaded")
                what = "reload"
        return self._load(page, make, what)

    def _tabs(self, action: NewTab | SwitchTab | CloseTab) -> str:
        session = self.session
        match action:
            case NewTab(url=url):
                full = self.check_url(url) if url else None
                session.open_tab()
                if full:
                    self.navigate(full)
                return f"opened tab {session.active}" + (f" at {full}" if full else "")
            case SwitchTab(index=index):
                self._check_tab(index)
                session.active = index
                session.page.bring_to_front()
                return f"switched to tab {index}"
            case CloseTab(index=index):
                target = session.active if index is None else index
                self._check_tab(target)
                session.close_tab(session.pages[target])
                if not session.pages:
                    session.open_tab()
                return f"closed tab {target}; tab {session.active} is active"
        raise ActionRejected(f"the browser cannot execute {action.action!r}")

    def _check_tab(self, index: int) -> None:
        count = len(self.session.pages)
        if not 0 <= index < count:
            raise DriverError(f"there is no tab {index}; open tabs are 0..{count - 1}")


def _call(method: str, impl: Any, **kwargs: Any) -> Awaitable[Any]:
    """``impl.<method>(**kwargs)`` (history calls of Playwright's async page)."""
    result: Awaitable[Any] = getattr(impl, method)(**kwargs)
    return result


def _wheel_delta(direction: ScrollDirection, pixels: float) -> tuple[float, float]:
    return {
        ScrollDirection.DOWN: (0.0, pixels),
        ScrollDirection.UP: (0.0, -pixels),
        ScrollDirection.RIGHT: (pixels, 0.0),
        ScrollDirection.LEFT: (-pixels, 0.0),
    }[direction]


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
