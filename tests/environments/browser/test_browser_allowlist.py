"""The domain allowlist holds on the network: navigations, redirects and sub-resources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click, Navigate, NewTab
from screenpilot.tools.errors import ActionRejected
from tests.environments.browser.conftest import make_env
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def guarded(server: PageServer) -> Iterator[BrowserEnvironment]:
    env = make_env(allowed_domains=("127.0.0.1",), start_url=server.url("links.html"))
    env.reset()
    yield env
    env.close()


def test_direct_navigation_outside_is_rejected(guarded: BrowserEnvironment, server: PageServer) -> None:
    with pytest.raises(ActionRejected, match=r"blocked: allowed domains are 127\.0\.0\.1"):
        guarded.execute(Navigate(url=server.url("form.html", host="localhost")))
    with pytest.raises(ActionRejected):
        guarded.execute(NewTab(url="https://example.com/"))
    assert guarded.observe().url == server.url("links.html")


def test_redirect_of_a_navigation_is_blocked(guarded: BrowserEnvironment, server: PageServer) -> None:
    before = len(server.requests)
    target = server.url("form.html", host="localhost")
    with pytest.raises(ActionRejected, match=r"redirected to .*localhost"):
        guarded.execute(Navigate(url=server.url(f"redirect?to={target}")))
    assert "localhost" not in {h.split(":")[0] for h, _ in server.requests[before:]}
    obs = guarded.observe()
    assert any("was blocked" in n and "localhost" in n for n in obs.notices)


def test_redirect_after_a_click_is_blocked_and_reported(
    guarded: BrowserEnvironment, server: PageServer
) -> None:
    guarded.goto(server.url("links.html"))
    obs = guarded.observe()
    before = len(server.requests)
    guarded.execute(Click(at=point_in(obs, by_attr_id(obs, "away"))))
    guarded.settle(2.0)
    after = guarded.observe()
    assert after.url == server.url("links.html")  # the page stayed where it was
    assert any("redirected from" in n and "was blocked" in n for n in after.notices)
    assert all(not h.startswith("localhost") for h, _ in server.requests[before:])


def test_allowed_redirect_is_followed(guarded: BrowserEnvironment, server: PageServer) -> None:
    guarded.execute(Navigate(url=server.url(f"redirect?to={server.url('form.html')}")))
    assert guarded.observe().url == server.url("form.html")


def test_sub_resources_outside_are_blocked(guarded: BrowserEnvironment, server: PageServer) -> None:
    before = len(server.requests)
    guarded.goto(server.url("subresources.html"))
    guarded.settle(2.0)
    assert guarded.evaluate("document.getElementById('fetch').textContent") == "blocked"
    assert guarded.evaluate("document.getElementById('im').naturalWidth") == 0
    assert guarded.evaluate("document.getElementById('ws').textContent") == "closed"
    assert any("WebSocket" in n for n in guarded.observe().notices)
    paths = [p for _, p in server.requests[before:]]
    assert "/subresources.html" in paths
    assert all(not h.startswith("localhost") for h, _ in server.requests[before:])
