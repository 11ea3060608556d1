"""Playwright drivers and launched browsers, shared per thread.

Playwright's sync API marks its event loop as running on the thread that started it, so
a second ``sync_playwright().start()`` on the same thread fails while the first is alive.
Environments on one thread therefore share one driver, and environments whose launch
settings are equal share one browser process, each in its own context (contexts are
cheap and isolated: cookies, storage, routing, viewport). The last user to leave closes
the browser, then stops the driver. The registry is thread-local state, not a setting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser.config import BrowserConfig

LaunchKey = tuple[str, bool, tuple[str, ...]]


class _ThreadDrivers(threading.local):
    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.users = 0
        self.browsers: dict[LaunchKey, tuple[Browser, int]] = {}


_LOCAL = _ThreadDrivers()


def acquire() -> Playwright:
    """The calling thread's driver, started on first use."""
    if _LOCAL.playwright is None:
        _LOCAL.playwright = sync_playwright().start()
    _LOCAL.users += 1
    return _LOCAL.playwright


def release() -> None:
    """Give the driver back; the last user on the thread stops it."""
    _LOCAL.users = max(0, _LOCAL.users - 1)
    if _LOCAL.users == 0 and _LOCAL.playwright is not None:
        playwright, _LOCAL.playwright = _LOCAL.playwright, None
        playwright.stop()


def launch_key(config: BrowserConfig) -> LaunchKey:
    return (config.resolved_executable(), config.headless, tuple(config.launch_arguments()))


def acquire_browser(config: BrowserConfig) -> Browser:
    """A launched browser for ``config`` (shared with equal launch settings on this thread).

    Raises:
        playwright.sync_api.Error: When the browser cannot be launched.
    """
    key = launch_key(config)
    pw = acquire()
    held = _LOCAL.browsers.get(key)
    if held is not None and held[0].is_connected():
        _LOCAL.browsers[key] = (held[0], held[1] + 1)
        return held[0]
    try:
        # Ctrl+C in a terminal reaches Playwright's driver too; by default it would kill the
        # browser under the agent. The agent's kill switch stops the run and closes it instead.
        browser = pw.chromium.launch(
            executable_path=key[0],
            headless=key[1],
            args=list(key[2]),
            handle_sigint=False,
            handle_sigterm=False,
            handle_sighup=False,
        )
    except BaseException:
        release()
        raise
    _LOCAL.browsers[key] = (browser, 1)
    return browser


def release_browser(browser: Browser) -> None:
    """Give a browser from :func:`acquire_browser` back; the last user closes it."""
    for key, (held, users) in list(_LOCAL.browsers.items()):
        if held is browser:
            if users > 1:
                _LOCAL.browsers[key] = (held, users - 1)
            else:
                del _LOCAL.browsers[key]
                _close(browser)
            break
    else:
        _close(browser)
    release()


def _close(browser: Browser) -> None:
    try:
        browser.close()
    except PlaywrightError:
        return  # already gone (crashed or killed): nothing left to release


@contextmanager
def playwright_driver() -> Iterator[Playwright]:
    """The calling thread's Playwright driver for the block (use this, never
    ``sync_playwright()`` directly: two sync drivers cannot live on one thread)."""
    pw = acquire()
    try:
        yield pw
    finally:
        release()


@contextmanager
def shared_browser(config: BrowserConfig) -> Iterator[Browser]:
    """Keep a browser for ``config`` running while the block runs (test suites, batch runs),
    so that environments created and closed inside it do not relaunch Chromium."""
    browser = acquire_browser(config)
    try:
        yield browser
    finally:
        release_browser(browser)
