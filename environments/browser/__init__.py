"""Chromium driven through Playwright: observe pages, act with real mouse and keyboard input.

Importing this package needs the ``browser`` extra (``pip install 'screenpilot[browser]'``).
"""

from screenpilot.environments.browser.config import BrowserConfig, find_chromium
from screenpilot.environments.browser.dispatch import BROWSER_ACTIONS
from screenpilot.environments.browser.env import BrowserEnvironment

__all__ = ["BROWSER_ACTIONS", "BrowserConfig", "BrowserEnvironment", "find_chromium"]
