"""Attaching to a running Chromium over CDP: use it, then leave it (and its tabs) running."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.tools.actions import Click, TypeText
from tests.environments.browser.conftest import make_env
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tabs(port: int) -> list[dict[str, str]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
        return [t for t in json.load(r) if t.get("type") == "page"]


@pytest.fixture
def running_chromium(tmp_path: Path, server: PageServer) -> Iterator[int]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            "/usr/bin/chromium",
            "--headless=new",
            *QUIET_ARGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / 'profile'}",
            server.url("links.html"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if _tabs(port):
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_attach_act_and_leave_running(running_chromium: int, server: PageServer) -> None:
    port = running_chromium
    env = make_env(cdp_url=f"http://127.0.0.1:{port}", start_url=server.url("form.html"))
    try:
        obs = env.reset()
        assert obs.title == "Form"
        assert any(t.url == server.url("links.html") for t in obs.tabs)  # the user's tab is listed
        env.execute(Click(at=point_in(obs, by_attr_id(obs, "name"))))
        env.execute(TypeText(text="attached"))
        assert env.evaluate("document.getElementById('name').value") == "attached"
        env.reset()  # a fresh tab of ours; the user's tab stays
        assert any(t["url"] == server.url("links.html") for t in _tabs(port))
    finally:
        env.close()
    urls = [t["url"] for t in _tabs(port)]  # still running after close()
    assert server.url("links.html") in urls
