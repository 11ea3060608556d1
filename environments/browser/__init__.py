"""Chromium driven through Playwright: observe pages, act with real mouse and keyboard input.

Importing this package needs the ``browser`` extra (``pip install 'screenpilot[browser]'``).
"""

from environments.browser.config import BrowserConfig, find_chromium
from environments.browser.env import BrowserEnvironment
from environments.browser.runner import BROWSER_ACTIONS

__all__ = ["BROWSER_ACTIONS", "BrowserConfig", "BrowserEnvironment", "find_chromium"]
