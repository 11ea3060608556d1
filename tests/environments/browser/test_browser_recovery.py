"""Crashed tabs are reopened, stuck pages time out, a dead browser is restarted by reset()."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click
from screenpilot.tools.errors import EnvCrashed, EnvTimeout
from tests.environments.browser.conftest import make_env
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_crashed_tab_is_reopened_and_reported(env: BrowserEnvironment, server: PageServer) -> None:
    fragile = env
    fragile.goto(server.url("form.html"))
    with contextlib.suppress(PlaywrightError):
        fragile.page.goto("chrome://crash", timeout=5000)
    obs = fragile.observe()
    assert any("crashed and was reopened" in n for n in obs.notices), obs.notices
    assert obs.url == server.url("form.html")
    assert obs.title == "Form"
    assert by_attr_id(obs, "name").editable


def test_stuck_page_times_out_and_reset_recovers(env: BrowserEnvironment, server: PageServer) -> None:
    fragile = env
    fragile.goto(server.url("busy.html"))
    obs = fragile.observe()
    fragile.set_action_timeout(1.5)
    try:
        with pytest.raises(EnvTimeout):
            fragile.execute(Click(at=point_in(obs, by_attr_id(obs, "spin"))))
            fragile.execute(Click(at=point_in(obs, by_attr_id(obs, "spin"))))
        obs = fragile.reset()
        assert obs.url == "about:blank"
        fragile.goto(server.url("form.html"))
        assert fragile.observe().title == "Form"
    finally:
        fragile.set_action_timeout(30.0)


@pytest.fixture
def fragile(server: PageServer) -> Iterator[BrowserEnvironment]:
    # its own launch flags, so that killing this browser leaves the shared one alone
    env = make_env(start_url=server.url("form.html"), launch_args=("--renderer-process-limit=8",))
    env.reset()
    yield env
    env.close()


def test_dead_browser_is_restarted_by_reset(fragile: BrowserEnvironment) -> None:
    fragile.page.context.browser.close()  # type: ignore[union-attr]
    with pytest.raises(EnvCrashed):
        fragile.observe()
    obs = fragile.reset()
    assert obs.title == "Form"
