"""Fixtures for perception tests: one OCR engine, one local HTTP server, one Chromium."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.tools.perception.ocr import OcrEngine

PAGES = Path(__file__).parent / "pages"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    return OcrEngine()


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from screenpilot.environments.browser.driver import playwright_driver

    with playwright_driver() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        yield browser
        browser.close()
