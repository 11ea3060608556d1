"""BrowserGym's Chromium, launched the way this project launches it.

BrowserGym starts every browser through one global Playwright object
(``browsergym.core._get_global_playwright``). Handing it this thread's driver from
:mod:`~environments.browser.driver` (two sync drivers cannot share a thread) behind a thin
wrapper makes every launch use the system Chromium and the project's quiet flags
(:data:`~environments.browser.config.QUIET_ARGS`), so no ``playwright install`` is needed
and nothing calls home. BrowserGym's own flags come after ours and win where they overlap.
"""

from __future__ import annotations

from typing import Any

from screenpilot.environments.browser import driver
from screenpilot.environments.browser.config import QUIET_ARGS


class _ProjectChromium:
    def __init__(self, real: Any, executable: str) -> None:
        self._real = real
        self._executable = executable

    def launch(self, **kwargs: Any) -> Any:
        kwargs.setdefault("executable_path", self._executable)
        kwargs["args"] = [*QUIET_ARGS, *(kwargs.get("args") or [])]
        return self._real.launch(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class ProjectPlaywright:
    """A Playwright object whose ``chromium.launch`` uses the project's browser and flags."""

    def __init__(self, real: Any, executable: str) -> None:
        self._real = real
        self.chromium = _ProjectChromium(real.chromium, executable)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def install(executable: str) -> ProjectPlaywright:
    """Take this thread's driver for BrowserGym and point BrowserGym at it (see :func:`point`)."""
    playwright = ProjectPlaywright(driver.acquire(), executable)
    point(playwright)
    return playwright


def point(playwright: ProjectPlaywright) -> None:
    """Make BrowserGym's next launches go through ``playwright`` (set again before every
    episode: another environment on the thread may have pointed it elsewhere)."""
    import browsergym.core

    browsergym.core._set_global_playwright(playwright)


def uninstall() -> None:
    """Give the driver back (the last user on the thread stops it)."""
    import browsergym.core

    browsergym.core._set_global_playwright(None)
    driver.release()
