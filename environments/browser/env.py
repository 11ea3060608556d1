"""The browser environment: Chromium driven through Playwright like a user would."""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.browser import pump
from screenpilot.environments.browser.capture import screenshot, viewport_of
from screenpilot.environments.browser.config import BrowserConfig
from screenpilot.environments.browser.dispatch import BROWSER_ACTIONS, ActionRunner
from screenpilot.environments.browser.effect_probe import EffectProbe
from screenpilot.environments.browser.elements import PageElements, collect_elements
from screenpilot.environments.browser.notices import NoticeBoard
from screenpilot.environments.browser.quiet import PageMark, take_mark, wait_settled
from screenpilot.environments.browser.session import BrowserSession
from screenpilot.environments.effects import Effect
from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen_float
from screenpilot.environments.observation import Observation, TabInfo
from screenpilot.tools.actions import Action, Click, KeyPress, Navigate, Scroll, TypeText, points_of
from screenpilot.tools.errors import (
    ActionRejected,
    DriverError,
    EnvCrashed,
    EnvTimeout,
    PageLoadFailed,
)


def _blank(impl: Any, timeout: float) -> Any:
    return impl.goto("about:blank", timeout=timeout, wait_until="load", referer=None)


_NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => done(true)))"


class BrowserEnvironment:
    """An :class:`~environments.base.Environment` over one Chromium context.

    Coordinates: the screen (driver) space is the viewport in CSS pixels; screenshots are
    ``viewport * device_scale_factor`` pixels. Element boxes are in CSS pixels, frames
    included. The browser starts lazily on the first call and is restarted by ``reset()``
    after a crash.

    Args:
        config: How to start the browser and what to allow.
    """

    def __init__(self, config: BrowserConfig | None = None) -> None:
        self.config = config or BrowserConfig()
        self.notices = NoticeBoard()
        self._session: BrowserSession | None = None
        self._runner: ActionRunner | None = None
        self._probe: EffectProbe | None = None
        self._geometry: ScreenGeometry | None = None
        self._last_shot: Image.Image | None = None
        self._mark: PageMark | None = None
        """The active tab before the last action, for the settle wait after it."""
        self._timeout_s = 30.0
        self._closed = False

    # -- Environment protocol -------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            platform="browser", actions=BROWSER_ACTIONS, input="pointer", elements=True, scripting=True
        )

    def reset(self) -> Observation:
        """Start the browser if needed (restart it if it died) and open the start page."""
        self._closed = False
        if self._session is not None and not self._healthy():
            self._drop_session()
        fresh = self._session is None
        session = self._ensure()
        if not (fresh and session.page.url == "about:blank"):
            session.fresh_start()
        self.notices.drain()
        runner = self._runner_()
        runner.pointer = None
        self._mark = None
        if runner.blocked_task is not None:
            pump.discard(runner.blocked_task)
            runner.blocked_task = None
        self._open_start_page(runner)
        self.settle(self.config.settle_max_s)
        return self.observe()

    def _open_start_page(self, runner: ActionRunner) -> None:
        """Load the start page; one that does not load stops the run (nothing can start).

        A browser or tab that went away during the load is not the page's fault: the
        session is started again and the load tried once more.

        Raises:
            PageLoadFailed: The browser's error (``net::ERR_CONNECTION_REFUSED``) or the
                HTTP status of a start page that did not load.
            ActionRejected: When the allowlist does not allow the start page.
        """
        url = self.config.start_url or "about:blank"
        for attempt in (1, 2):
            try:
                runner.navigate(url)
                break
            except DriverError as e:
                if attempt == 2 or self._page_alive():
                    raise PageLoadFailed(f"the start page did not load: {e}") from e
                self._drop_session()
                runner = self._runner_()
        if runner.last_status is not None and runner.last_status >= 400:
            raise PageLoadFailed(f"the start page {url} answered HTTP {runner.last_status}")

    def _page_alive(self) -> bool:
        """Whether the browser is connected and the active tab is open."""
        if not self._healthy() or self._session is None:
            return False
        try:
            return not self._session.page.is_closed()
        except (PlaywrightError, EnvCrashed):
            return False

    def observe(self) -> Observation:
        session = self._ensure()
        page, viewport, image, found = self._capture(session)
        geometry = ScreenGeometry(
            image_size=Size(width=image.width, height=image.height),
            logical_size=Size(width=viewport[0], height=viewport[1]),
            scale_factor=image.width / viewport[0],
        )
        self._geometry = geometry
        tabs = self._tabs(session, active_title=found.title)
        return Observation(
            screenshot=image,
            geometry=geometry,
            capabilities=self.capabilities,
            elements=found.elements,
            url=page.url,
            title=next((t.title for t in tabs if t.active), ""),
            tabs=tabs,
            notices=self.notices.drain(),
            # the element collector lists the page's visible text blocks, so a grounder
            # needs no OCR to read words here (canvas and image text aside)
            extra={"text_listed": True},
        )

    def execute(self, action: Action) -> StepResult:
        """Carry out one action with real input; see :data:`BROWSER_ACTIONS`.

        Raises:
            ActionRejected: Unsupported actions and blocked navigations.
            DriverError: Input the page refused, failed loads of a ``navigate``.
            EnvTimeout: An action that did not finish within the action timeout.
            EnvCrashed: The browser is gone.
        """
        if not self.capabilities.supports(action):
            raise ActionRejected(
                f"{action.action!r} is not available in the browser; "
                f"available: {', '.join(sorted(BROWSER_ACTIONS))}"
            )
        session = self._ensure()
        start = time.monotonic()
        try:
            if session.dialogs.pending is not None:
                self._mark = None
                ok, message = self._answer_dialog(action)
            else:
                taken = self._probe.take_look(session.page) if self._probe is not None else None
                self._mark = take_mark(session, wheel=isinstance(action, Scroll), taken=taken)
                ok, message = True, self._runner_().execute(action, self._current_geometry())
        except PlaywrightError as e:
            if not self._healthy():
                raise EnvCrashed(f"the browser went away during {action.action}: {e}") from e
            if session.has_crashes():
                _ = session.page  # reopens the crashed tab now; the notice tells the policy
                message = f"the tab crashed during {action.action} and was reopened"
                return StepResult(ok=False, message=message, elapsed_s=time.monotonic() - start)
            raise DriverError(f"{action.action} failed: {str(e).splitlines()[0]}") from e
        return StepResult(ok=ok, message=message, elapsed_s=time.monotonic() - start)

    def begin_effect(self, action: Action, before: Observation) -> None:
        """Hit-test the action's first point and take the page baseline (see :mod:`.effect_probe`)."""
        if self._session is None:
            return
        points = [] if isinstance(action, Navigate) else points_of(action)
        point = to_screen_float(points[0], self._current_geometry()) if points else None
        try:
            self._probe_().begin(point)
        except (PlaywrightError, EnvCrashed):
            self._probe = None  # the browser is going away; execute() reports that

    def end_effect(self) -> Effect:
        """What the action changed: URL, title, focus, value, state, DOM, tabs, dialogs,
        downloads, blocked navigations."""
        if self._probe is None or self._session is None:
            return Effect()
        try:
            return self._probe.end()
        except (PlaywrightError, EnvCrashed):
            return Effect()

    def settle(self, timeout_s: float) -> SettleResult:
        """Wait until what the last action set in motion has come to rest (see :mod:`.quiet`).

        Right after an action that changed nothing and started nothing this is one look at
        the page; otherwise it ends once nothing is under way and nothing changed for
        ``settle_quiet_s`` since the last change, or after ``settle_max_s``.
        """
        session = self._ensure()
        bound = min(timeout_s, self.config.settle_max_s)
        mark, self._mark = self._mark, None
        peek = self._probe.peek() if self._probe is not None and self._probe.session is session else None
        try:
            return wait_settled(session, mark, timeout_s=bound, quiet_s=self.config.settle_quiet_s, peek=peek)
        except PlaywrightError:
            return SettleResult(stable=False, elapsed_s=bound)

    def set_action_timeout(self, seconds: float) -> None:
        """Bound every action (input, loads) to ``seconds``; past it ``EnvTimeout`` is raised."""
        self._timeout_s = seconds
        if self._runner is not None:
            self._runner.timeout_s = seconds

    def close(self) -> None:
        """Close the browser (or disconnect from an attached one). Safe to call twice."""
        self._closed = True
        self._drop_session()

    # -- helpers for scripts, benchmarks and tests ----------------------------------------

    @property
    def page(self) -> Page:
        """The active Playwright (sync) page."""
        return self._ensure().page

    def goto(self, url: str) -> str:
        """Load ``url`` in the active tab, honouring the allowlist.

        Raises:
            ActionRejected: When the URL (or a redirect) is not allowed.
            DriverError: When the page fails to load.
        """
        self._ensure()
        return self._runner_().navigate(url)

    def set_viewport(self, width: int, height: int) -> None:
        """Resize the active tab's viewport to ``width`` x ``height`` CSS pixels.

        Raises:
            DriverError: When the page refuses the new size.
        """
        try:
            self.page.set_viewport_size({"width": width, "height": height})
        except PlaywrightError as e:
            raise DriverError(f"the viewport could not be resized: {str(e).splitlines()[0]}") from e
        self._geometry = None

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """Evaluate a JavaScript expression or function in the active tab (bounded in time)."""
        page = self.page
        try:
            return pump.call(page, lambda impl: impl.evaluate(expression, arg), self._timeout_s, "evaluate")
        except PlaywrightError as e:
            raise DriverError(f"evaluate failed: {str(e).splitlines()[0]}") from e

    # -- internals ------------------------------------------------------------------------

    def _ensure(self) -> BrowserSession:
        if self._closed:
            raise EnvCrashed("the browser environment was closed")
        if self._session is None:
            self._session = BrowserSession(self.config, self.notices)
            self._runner = ActionRunner(self._session, self.config)
            self._runner.timeout_s = self._timeout_s
        return self._session

    def _probe_(self) -> EffectProbe:
        session = self._ensure()
        if self._probe is None or self._probe.session is not session:
            self._probe = EffectProbe(session)
        return self._probe

    def _runner_(self) -> ActionRunner:
        self._ensure()
        assert self._runner is not None
        return self._runner

    def _healthy(self) -> bool:
        try:
            return self._session is not None and self._session.browser.is_connected()
        except PlaywrightError:
            return False

    def _drop_session(self) -> None:
        session, self._session, self._runner = self._session, None, None
        if session is not None:
            session.close()

    def _current_geometry(self) -> ScreenGeometry:
        if self._geometry is None:
            w, h = viewport_of(self._ensure().page)
            self._geometry = ScreenGeometry.simple(w, h, self.config.device_scale_factor)
        return self._geometry

    def _capture(self, session: BrowserSession) -> tuple[Page, tuple[int, int], Image.Image, PageElements]:
        """Screenshot and elements (with the title) of the active tab; a tab that crashed
        meanwhile is reopened (and reported) and captured again."""
        for attempt in (1, 2):
            page = session.page
            viewport = viewport_of(page)
            if session.dialogs.pending is not None:
                return page, viewport, *self._dialog_view(viewport)
            try:
                page = self._check_drawing(session, page)
                found = self._elements(page, viewport)
                if session.dialogs.pending is not None:  # opened while the page was read
                    return page, viewport, *self._dialog_view(viewport)
                image = screenshot(page, self.config, min(self._timeout_s, 15.0), found.mask_frames)
            except PlaywrightError as e:
                if attempt == 1 and session.crashed(page):
                    continue
                raise EnvTimeout(f"the screenshot failed: {str(e).splitlines()[0]}") from e
            self._last_shot = image
            return page, viewport, image, found
        raise EnvCrashed("the tab crashed again right after it was reopened")

    def _check_drawing(self, session: BrowserSession, page: Page) -> Page:
        """After a blocked navigation, make sure the tab still draws frames.

        A page that navigates while it is still loading (a script redirect) and has that
        navigation blocked is left half-loaded, and Chromium never draws it again: every
        screenshot would time out. Such a tab is moved to ``about:blank``, with a notice.
        """
        if not self.notices.render_check:
            return page
        self.notices.render_check = False
        try:
            pump.call(page, lambda impl: impl.evaluate(_NEXT_FRAME, None), 1.5, "drawing a frame")
            return page
        except EnvTimeout:
            pass
        url = page.url
        try:
            pump.call(page, partial(_blank, timeout=5000), 5.0, "resetting the tab")
        except (EnvTimeout, PlaywrightError) as e:
            raise EnvTimeout(f"the tab stopped drawing after a blocked navigation: {e}") from e
        self.notices.add(
            f"the page {url} stopped drawing after its navigation was blocked (it navigated "
            "away while loading); the tab now shows about:blank"
        )
        return page

    def _elements(self, page: Page, viewport: tuple[int, int]) -> PageElements:
        dialogs = self._ensure().dialogs
        signal = pump.new_signal(page)
        dialogs.signal = signal  # a dialog opening mid-read cuts the read short
        try:
            return collect_elements(
                page, viewport, timeout_s=min(self._timeout_s, 10.0), interrupts=(signal,)
            )
        except EnvTimeout:
            if dialogs.pending is None:
                self.notices.add("the page did not answer while its elements were read (busy script?)")
            return PageElements(elements=(), mask_frames=tuple(page.frames))
        finally:
            dialogs.signal = None
            if not signal.done():
                signal.cancel()

    def _dialog_view(self, viewport: tuple[int, int]) -> tuple[Image.Image, PageElements]:
        dialogs = self._ensure().dialogs
        dpr = self.config.device_scale_factor
        base = self._last_shot or Image.new(
            "RGB", (round(viewport[0] * dpr), round(viewport[1] * dpr)), "white"
        )
        found = PageElements(elements=dialogs.elements(viewport), mask_frames=())
        return dialogs.draw(base, viewport), found

    def _answer_dialog(self, action: Action) -> tuple[bool, str]:
        session = self._ensure()
        dialogs = session.dialogs
        viewport = viewport_of(session.page)
        match action:
            case Click(at=at):
                x, y = to_screen_float(at, self._current_geometry())
                handled, message = dialogs.click(x, y, viewport)
            case TypeText(text=str(text), clear_first=clear, submit=submit):
                dialogs.prompt_text = text if clear else dialogs.prompt_text + text
                handled, message = True, f"typed {len(text)} characters into the prompt"
                if submit:
                    message = dialogs.answer(True)
            case KeyPress(keys=("enter",)):
                handled, message = True, dialogs.answer(True)
            case KeyPress(keys=("escape",)):
                handled, message = True, dialogs.answer(False)
            case _:
                raise ActionRejected(
                    f"a JavaScript dialog is open; answer it (click OK or Cancel, Enter or Escape) "
                    f"before {action.action}"
                )
        if dialogs.pending is None:
            self._runner_().finish_blocked(session.page)
        return handled, message

    def _title(self, page: Page) -> str:
        if self._ensure().dialogs.pending is not None:
            return ""
        try:
            return str(pump.call(page, lambda impl: impl.title(), 1.0, "title"))
        except (PlaywrightError, EnvTimeout):
            return ""

    def _tabs(self, session: BrowserSession, *, active_title: str | None = None) -> tuple[TabInfo, ...]:
        """The open tabs; ``active_title`` spares asking the active tab for its title again."""
        return tuple(
            TabInfo(
                index=i,
                url=p.url,
                title=active_title if i == session.active and active_title is not None else self._title(p),
                active=i == session.active,
            )
            for i, p in enumerate(session.pages)
        )
