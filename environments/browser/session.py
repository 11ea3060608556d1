"""The running browser: Playwright, one context, its tabs, and what happens in them."""

from __future__ import annotations

import contextlib
import time

from playwright.sync_api import Browser, BrowserContext, Download, FileChooser, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser import driver, pump
from screenpilot.environments.browser.config import BrowserConfig
from screenpilot.environments.browser.dialogs import DialogWatch
from screenpilot.environments.browser.network import AllowlistRouter, NavigationWatch, WebSocketGuard
from screenpilot.environments.browser.notices import NoticeBoard
from screenpilot.environments.browser.proxy import AllowlistProxy
from screenpilot.environments.browser.scripts import init_script
from screenpilot.tools.errors import DriverError, EnvCrashed, EnvTimeout

_QUIET_FAILURES = ("net::ERR_ABORTED", "net::ERR_BLOCKED_BY_CLIENT")


def _open_browser(config: BrowserConfig, proxy: str | None) -> tuple[Browser, BrowserContext, bool]:
    """Launch (or attach to) Chromium; the flag says whether the context is ours to close.

    A context we create reaches the network through ``proxy`` when one is given. An
    attached browser's first context is used as it is (it holds the user's session).
    Whatever was acquired is given back when a later step fails.
    """
    where = config.cdp_url or config.executable_path or "the system Chromium"
    try:
        if config.cdp_url:
            playwright = driver.acquire()
            try:
                browser = playwright.chromium.connect_over_cdp(config.cdp_url)
            except BaseException:
                driver.release()
                raise
            if browser.contexts:
                return browser, browser.contexts[0], False
        else:
            browser = driver.acquire_browser(config)
    except PlaywrightError as e:
        raise EnvCrashed(f"could not start the browser ({where}): {e}") from e
    try:
        context = browser.new_context(
            viewport={"width": config.viewport_width, "height": config.viewport_height},
            device_scale_factor=config.device_scale_factor,
            locale=config.locale,
            user_agent=config.user_agent,
            # service workers fetch outside page.route; the allowlist must see everything
            service_workers="block" if config.allowed_domains else "allow",
            proxy={"server": proxy} if proxy else None,
        )
    except PlaywrightError as e:
        if config.cdp_url:
            with contextlib.suppress(PlaywrightError):
                browser.close()
            driver.release()
        else:
            driver.release_browser(browser)
        raise EnvCrashed(f"could not open a browser context ({where}): {e}") from e
    return browser, context, True


class BrowserSession:
    """One browser context with its tabs in opening order and the active tab.

    Tabs opened by pages (``target=_blank``, ``window.open``) become active and are
    reported; crashed tabs are reopened at their last URL and reported; main-frame load
    failures and HTTP errors are reported.
    """

    def __init__(self, config: BrowserConfig, notices: NoticeBoard) -> None:
        self.config = config
        self.notices = notices
        self.dialogs = DialogWatch(config.dialog_policy, notices)
        self.pages: list[Page] = []
        self.active = 0
        self.inflight: dict[Request, float] = {}
        """Requests in flight and when they started (monotonic seconds)."""
        self.last_network = time.monotonic()
        self.downloads = 0
        """Downloads started so far (action effects count them)."""
        self._crashed: set[Page] = set()
        self._foreign: set[Page] = set()
        self._opening = False
        self._disconnected = False
        self.proxy = AllowlistProxy(config.allowed_domains) if config.allowed_domains else None
        """The filtering proxy every connection of the context goes through (allowlist only)."""
        try:
            self.browser, self.context, self._owns_context = _open_browser(
                config, self.proxy.server if self.proxy else None
            )
        except BaseException:
            self._close_proxy()
            raise
        if not self._owns_context:
            self._close_proxy()  # an attached browser's own context cannot be given a proxy
        self._launched = not config.cdp_url
        try:
            self._instrument()
        except BaseException:
            self.close()
            raise

    # -- set-up ---------------------------------------------------------------------------

    def _instrument(self) -> None:
        ctx = self.context
        ctx.add_init_script(init_script(select_overlay=self.config.native_select_overlay))
        ctx.set_default_navigation_timeout(self.config.navigation_timeout_s * 1000)
        allowed = self.config.allowed_domains
        if allowed:
            ctx.route("**/*", AllowlistRouter(allowed))
            ctx.route_web_socket("**/*", WebSocketGuard(allowed, self.notices))
            ctx.on("request", NavigationWatch(allowed, self.notices))
            if not self._owns_context:
                self.notices.add(
                    "the allowlist is checked per request in this attached browser's own context, "
                    "where redirect hops cannot be held back; open a new context for full enforcement"
                )
        ctx.on("request", self._on_request)
        ctx.on("requestfinished", self._on_request_done)
        ctx.on("requestfailed", self._on_request_failed)
        ctx.on("response", self._on_response)
        ctx.on("page", self._on_page)
        self.browser.on("disconnected", self._on_disconnected)
        for page in ctx.pages:
            self._adopt(page)
        self._foreign = set(self.pages) if not self._owns_context else set()
        self.open_tab()

    def _adopt(self, page: Page) -> bool:
        if page in self.pages:
            return False
        self.pages.append(page)
        page.on("dialog", self.dialogs.handle)
        page.on("crash", self._on_crash)
        page.on("close", self._on_close)
        page.on("download", self._on_download)
        page.on("filechooser", self._on_file_chooser)
        return True

    # -- events ---------------------------------------------------------------------------

    def _on_page(self, page: Page) -> None:
        if self._adopt(page) and not self._opening:
            self.active = len(self.pages) - 1
            opener = "a link or script"
            self.notices.add(f"{opener} opened a new tab (tab {self.active}); it is now the active tab")

    def _on_download(self, download: Download) -> None:
        self.downloads += 1
        self.notices.add(
            f"a download of {download.suggested_filename!r} started from {download.url} "
            "(files are not kept by the browser environment)"
        )

    def _on_file_chooser(self, chooser: FileChooser) -> None:
        # listening stops the native picker, which nobody could see or answer
        self.notices.add("a file picker was requested; choosing files is not supported here")

    def _on_crash(self, page: Page) -> None:
        self._crashed.add(page)

    def _on_close(self, page: Page) -> None:
        if page in self.pages:
            index = self.pages.index(page)
            self.pages.remove(page)
            if self.active >= index and self.active > 0:
                self.active -= 1

    def _on_request(self, request: Request) -> None:
        self.last_network = time.monotonic()
        self.inflight[request] = self.last_network

    def _on_request_done(self, request: Request) -> None:
        self.inflight.pop(request, None)
        self.last_network = time.monotonic()

    def _on_request_failed(self, request: Request) -> None:
        self._on_request_done(request)
        failure = request.failure or "failed"
        if _is_main_navigation(request) and not failure.startswith(_QUIET_FAILURES):
            self.notices.add(f"the page {request.url} failed to load: {failure}")

    def _on_response(self, response: Response) -> None:
        request = response.request
        if response.status >= 400 and _is_main_navigation(request):
            self.notices.add(
                f"the page {response.url} answered HTTP {response.status} {response.status_text}"
            )

    def _on_disconnected(self, _browser: Browser) -> None:
        self._disconnected = True

    # -- tabs -----------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        """The active tab, after reopening any crashed tab.

        Raises:
            EnvCrashed: When the browser itself is gone.
        """
        if self._disconnected or not self.browser.is_connected():
            raise EnvCrashed("the browser disconnected")
        if self._crashed:
            self._recover()
        if not self.pages:
            self.open_tab()
        self.active = min(self.active, len(self.pages) - 1)
        return self.pages[self.active]

    def crashed(self, page: Page) -> bool:
        """Whether ``page`` crashed and was not reopened yet."""
        return page in self._crashed

    def has_crashes(self) -> bool:
        return bool(self._crashed)

    def open_tab(self, url: str | None = None) -> Page:
        """Open a tab, make it active and optionally load ``url`` (not reported as a notice)."""
        self._opening = True
        try:
            page = self.context.new_page()
        except PlaywrightError as e:
            raise EnvCrashed(f"could not open a tab: {e}") from e
        finally:
            self._opening = False
        self._adopt(page)
        self.active = self.pages.index(page)
        if url:
            try:
                page.goto(url, wait_until="domcontentloaded")
            except PlaywrightError as e:
                raise DriverError(f"could not load {url}: {_first_line(e)}") from e
        return page

    def fresh_start(self) -> None:
        """One new empty tab; the other tabs closed (a hung or crashed one included).

        In a browser we attached to, the tabs that were open before we came are left alone.
        """
        old = [p for p in self.pages if self._owns_context or p not in self._foreign]
        self.open_tab()
        for page in old:
            self.close_tab(page)
        self._crashed.clear()
        self.active = len(self.pages) - 1
        self.dialogs.pending = None

    def _recover(self) -> None:
        for page in list(self._crashed):
            self._crashed.discard(page)
            if page not in self.pages:
                continue
            index, url, active = self.pages.index(page), page.url, self.active
            fresh = self.open_tab()
            self.pages.remove(fresh)
            self.pages[index] = fresh
            self.active = active
            self.close_tab(page)
            reload = url and not url.startswith(("about:", "chrome"))
            if reload:
                try:
                    fresh.goto(url, wait_until="domcontentloaded")
                except PlaywrightError as e:
                    self.notices.add(f"reloading {url} after the crash failed: {_first_line(e)}")
            self.notices.add(f"tab {index} crashed and was reopened" + (f" at {url}" if reload else " empty"))

    def close_tab(self, page: Page) -> None:
        """Close a tab without running its unload handlers (bounded; a hung tab is dropped)."""
        # a crashed or hung page may not confirm; it is dropped from our list anyway
        with contextlib.suppress(PlaywrightError, EnvTimeout):
            pump.call(
                page, lambda impl: impl.close(run_before_unload=False, reason=None), 2.0, "closing a tab"
            )
        if page in self.pages:
            self._on_close(page)

    def close(self) -> None:
        """Close our context; the browser is released (launched) or disconnected (attached)."""
        with contextlib.suppress(PlaywrightError, ValueError):
            self.browser.remove_listener("disconnected", self._on_disconnected)
        try:
            if self._owns_context:
                self.context.close()
        except PlaywrightError:
            pass  # the browser is already gone: nothing left to close
        try:
            if self._launched:
                driver.release_browser(self.browser)
                return
            try:
                self.browser.close()  # for a CDP connection this only disconnects
            except PlaywrightError:
                pass  # already disconnected
            finally:
                driver.release()
        finally:
            self._close_proxy()

    def _close_proxy(self) -> None:
        if self.proxy is not None:
            self.proxy.close()
            self.proxy = None


def _is_main_navigation(request: Request) -> bool:
    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:
        return False  # the frame is gone (service worker request or closed tab)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
