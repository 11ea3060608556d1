"""The web UI on first use, in Chromium: a run starts and a screenshot is grounded with no
option changed; a run whose process died is shown as unfinished; reports link back."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from screenpilot.app.ui.app import UISettings, create_app
from screenpilot.app.ui.server import BackgroundServer
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.environments.browser.driver import playwright_driver

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_driver() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-runs")


@pytest.fixture(scope="module")
def server(runs: Path) -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(UISettings(runs_dir=runs))) as s:
        yield s


@pytest.fixture
def page(browser: Browser, server: BackgroundServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.goto(server.url)
    p.wait_for_function("document.querySelectorAll('#run-policy option').length > 0")
    yield p
    context.close()


def test_the_defaults_are_the_offline_policy_in_the_browser(server):
    reg = json.loads(urllib.request.urlopen(f"{server.url}/api/registry", timeout=10).read())
    assert (reg["default_policy"], reg["default_env"]) == ("offline", "browser")
    assert reg["default_env_options"]["browser"]["url"] == f"{server.url}/demo/login.html"


def test_start_with_nothing_changed_signs_in(page: Page, runs: Path):
    page.click("[data-tab=run]")
    assert page.input_value("#run-policy") == "offline" and page.input_value("#run-env") == "browser"
    page.click("#run-btn")
    page.wait_for_function(
        "['success', 'failure', 'error', 'truncated']"
        ".includes(document.querySelector('#run-status').dataset.state)",
        timeout=180_000,
    )
    assert page.get_attribute("#run-status", "data-state") == "success", page.inner_text("#run-status")
    assert page.is_disabled("#stop-btn")
    page.click("#live-report")
    page.wait_for_selector("#ui-link")  # the report links back to the UI
    page.click("#ui-link")
    page.wait_for_selector("#runs-table tbody tr")


def test_ground_a_screenshot_with_nothing_changed(page: Page, browser: Browser, server, tmp_path: Path):
    shot_page = browser.new_page(viewport={"width": 800, "height": 600})
    shot_page.goto(f"{server.url}/demo/login.html")
    button = shot_page.locator("button", has_text="Sign in").bounding_box()
    shot = tmp_path / "login.png"
    shot_page.screenshot(path=str(shot))
    shot_page.close()
    page.set_input_files("#image-input", str(shot))
    page.fill("#instruction", "the Sign in button")  # a bare description, in the default "act" mode
    page.click("#ground-btn")
    page.wait_for_selector("#ground-summary", timeout=120_000)
    assert page.inner_text("#ground-summary").startswith("1 mark(s)"), page.inner_text("#ground-result")
    action = page.inner_text("#ground-result .action")
    # "located (412, 230) in screen" or "located box (180, 415)-(254, 455) in screen"
    assert re.fullmatch(r"located (box )?\(\d+, \d+\)(-\(\d+, \d+\))? in screen", action), action
    numbers = [float(v) for v in re.findall(r"\d+", action)]
    x, y = (numbers[0] + numbers[-2]) / 2, (numbers[1] + numbers[-1]) / 2
    assert button is not None
    assert (
        button["x"] <= x <= button["x"] + button["width"]
        and button["y"] <= y <= button["y"] + button["height"]
    )


def test_a_killed_run_is_unfinished_not_running(page: Page, runs: Path, tmp_path: Path):
    script = tmp_path / "waits.jsonl"
    script.write_text('{"action": "wait", "seconds": 0.3}\n' * 200)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "screenpilot",
            "run",
            "wait",
            "--env",
            "fake",
            "--policy",
            "script",
            "-P",
            f"file={script}",
            "--out",
            str(runs),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    while not proc.stdout.readline().startswith("step   1"):
        assert proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    name = next(d.name for d in runs.iterdir() if not (d / "result.json").exists())
    page.click("[data-tab=runs]")
    row = page.locator(f"tr[data-path='{name}']")
    row.wait_for()
    assert row.locator(".badge").inner_text() == "unfinished"
    row.locator("button.watch").click()
    page.wait_for_function("document.querySelector('#run-status').dataset.state === 'unfinished'")
    assert page.is_disabled("#stop-btn")
    assert "stopped before it finished" in page.inner_text("#run-status")


def test_a_host_beyond_loopback_is_warned_about(tmp_path: Path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "screenpilot",
            "ui",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--runs",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("screenpilot UI on http://0.0.0.0:")
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "warning: serving on 0.0.0.0, not only this machine" in err
    assert proc.returncode == 130 and "Traceback" not in err
