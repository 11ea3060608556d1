"""Recorded runs of the three kinds an export reads, made once per session in real Chromium
(see :mod:`tests.benchmarks.finetune.runs`)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial

import pytest

from screenpilot.environments.browser import BrowserConfig
from screenpilot.environments.browser.driver import shared_browser
from tests.benchmarks.finetune.runs import PAGES, record_miniwob, record_qwen, record_workflow


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(PAGES)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory, site: str) -> Iterator[dict[str, object]]:
    """Every recorded run, made in one Chromium: ``miniwob``, ``workflow``, ``qwen``."""
    root = tmp_path_factory.mktemp("recorded")
    with shared_browser(BrowserConfig(executable_path="/usr/bin/chromium")):
        out: dict[str, object] = {"miniwob": record_miniwob(root / "miniwob")}
        out["workflow"], centers = record_workflow(root / "runs", site)
        out["qwen"] = record_qwen(root / "runs", site, centers)
        yield out
