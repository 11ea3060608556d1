from collections.abc import Callable

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.tools.actions import Click
from screenpilot.tools.points import Point


@pytest.fixture
def env() -> FakeEnvironment:
    return FakeEnvironment()


@pytest.fixture
def fast_config() -> AgentConfig:
    return AgentConfig(
        max_steps=20, settle_timeout_s=0.0, retry=RetryConfig(attempts=4, base_s=0.01, max_s=0.05)
    )


@pytest.fixture
def click_on(env: FakeEnvironment) -> Callable[[str], Click]:
    def make(widget: str) -> Click:
        x, y = env.center_of(widget)
        return Click(at=Point(x=x, y=y))

    return make
