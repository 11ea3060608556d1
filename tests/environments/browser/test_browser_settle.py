"""settle() waits for requests and DOM updates to finish, and ignores requests that never do."""

from __future__ import annotations

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_settle_waits_for_fetch_and_dom_updates(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("settle.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "later"))))
    result = env.settle(3.0)
    assert result.stable and result.elapsed_s >= 0.5
    assert env.evaluate("document.getElementById('out').textContent") == "done:ok"


def test_settle_is_bounded_and_ignores_long_polls(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("settle.html"))
    env.evaluate("startLongPoll(); 1")
    result = env.settle(3.0)
    assert result.stable and result.elapsed_s < 2.0
    # a page that keeps changing (the first change now) never settles: the bound ends the wait
    env.evaluate("const t = () => { document.body.dataset.tick = Date.now(); }; t(); setInterval(t, 20); 1")
    busy = env.settle(0.6)
    assert not busy.stable and 0.6 <= busy.elapsed_s < 1.2
