"""Fixtures for the report and UI tests: recorded runs and one Chromium per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from screenpilot.agent.result import RunResult
from screenpilot.app.report.sample_runs import record_demo_run
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.environments.browser.driver import playwright_driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_driver() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def demo_run(runs_dir: Path) -> RunResult:
    """The demo run: HiDPI-like fake screen (1.5 image px per logical px), 9 steps."""
    return record_demo_run(runs_dir, scale_factor=1.5, run_id="demo-run")
