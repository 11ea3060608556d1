"""The shared environment contract, run over the desktop driver."""

from __future__ import annotations

import pytest

from screenpilot.agent.registry import create
from screenpilot.environments.contract import check_environment

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_desktop_environment_passes_the_contract(xvfb: str) -> None:
    env = create("environments", "desktop", {"display": xvfb, "abort_hotkey": "none"})
    report = check_environment(env)
    assert report.ok, report.problems
    assert "close twice" in report.checks
