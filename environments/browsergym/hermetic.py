"""A hermetic BrowserGym environment: its open-ended task on a page held in a ``data:`` URL."""

from __future__ import annotations

from urllib.parse import quote

from screenpilot.environments.browser.hermetic import LOCAL_PAGE
from screenpilot.environments.browsergym.config import BrowserGymConfig
from screenpilot.environments.browsergym.env import BrowserGymEnvironment


def local_page() -> BrowserGymEnvironment:
    """The registry's hermetic factory for ``browsergym``: headless, on the browser's local page."""
    return BrowserGymEnvironment(
        BrowserGymConfig(task="openended", start_url="data:text/html," + quote(LOCAL_PAGE), headless=True)
    )
