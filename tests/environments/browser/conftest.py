"""Fixtures: one HTTP server and one Chromium for the session; an environment (a browser
context of that Chromium) per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.driver import shared_browser
from tests.environments.browser.server import PageServer

TEST_BROWSER = {"executable_path": "/usr/bin/chromium"}


@pytest.fixture(scope="session", autouse=True)
def _one_chromium() -> Iterator[None]:
    """Keep one Chromium running for the whole session; each environment gets a context."""
    with shared_browser(BrowserConfig.model_validate(TEST_BROWSER)):
        yield


@pytest.fixture(scope="session")
def server() -> Iterator[PageServer]:
    with PageServer() as s:
        yield s


def make_env(**overrides: object) -> BrowserEnvironment:
    """A headless browser on the system Chromium with the tests' quiet flags."""
    options: dict[str, object] = {**TEST_BROWSER, "settle_quiet_s": 0.1}
    options.update(overrides)
    return BrowserEnvironment(BrowserConfig.model_validate(options))


@pytest.fixture(scope="module")
def env() -> Iterator[BrowserEnvironment]:
    e = make_env()
    e.reset()
    yield e
    e.close()
