"""Fixtures: one HTTP server for the session, browsers per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from environments.browser import BrowserConfig, BrowserEnvironment
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def server() -> Iterator[PageServer]:
    with PageServer() as s:
        yield s


def make_env(**overrides: object) -> BrowserEnvironment:
    """A headless browser on the system Chromium with the tests' quiet flags."""
    options: dict[str, object] = {"executable_path": "/usr/bin/chromium", "settle_quiet_s": 0.1}
    options.update(overrides)
    return BrowserEnvironment(BrowserConfig.model_validate(options))


@pytest.fixture(scope="module")
def env() -> Iterator[BrowserEnvironment]:
    e = make_env()
    e.reset()
    yield e
    e.close()
