from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec


@pytest.fixture
def fake_spec() -> Callable[..., RunSpec]:
    """A run of the fake benchmark with the dom-match baseline; options go to the benchmark."""

    def make(retries: int = 2, time_limit: float = 30.0, grace: float = 5.0, **bench: Any) -> RunSpec:
        return RunSpec(
            benchmark=ComponentSpec(name="fake", options=bench),
            environment=ComponentSpec(name="fake"),
            policy=ComponentSpec(name="dom-match"),
            agent=AgentConfig(max_steps=5, settle_timeout_s=0.0),
            episode_time_limit_s=time_limit,
            max_infra_retries=retries,
            hard_kill_grace_s=grace,
        )

    return make


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
