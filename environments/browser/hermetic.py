"""A hermetic browser environment: headless Chromium on a page held in its own URL.

The page is a ``data:`` URL (a form with a link, a field, a checkbox and a button), and
the allowlist admits only the loopback address, so nothing leaves the machine.
"""

from __future__ import annotations

from urllib.parse import quote

from screenpilot.environments.browser.config import BrowserConfig
from screenpilot.environments.browser.env import BrowserEnvironment

LOCAL_PAGE = """<!doctype html><title>screenpilot local page</title>
<body style="font: 16px sans-serif; margin: 40px">
<h1>Local page</h1>
<form onsubmit="event.preventDefault(); document.getElementById('out').textContent = 'sent'">
<label>Name <input id="name" name="name"></label>
<label><input id="agree" type="checkbox"> I agree</label>
<button id="send">Send</button>
</form>
<p id="out"></p><a href="#more">More</a>
</body>"""


def local_page() -> BrowserEnvironment:
    """The registry's hermetic factory for ``browser``: headless, on :data:`LOCAL_PAGE`."""
    return BrowserEnvironment(
        BrowserConfig(
            headless=True,
            start_url="data:text/html," + quote(LOCAL_PAGE),
            allowed_domains=("127.0.0.1",),
        )
    )
