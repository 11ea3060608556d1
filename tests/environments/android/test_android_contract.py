"""The shared environment contract holds for the Android environment on the simulator."""

from __future__ import annotations

import pytest

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator
from screenpilot.environments.contract import check_environment

pytestmark = pytest.mark.android


def test_android_environment_passes_the_contract(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    report = check_environment(env)
    assert report.ok, report.problems
    assert report.checks
