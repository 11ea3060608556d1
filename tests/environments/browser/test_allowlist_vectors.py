"""No way out: every escape vector against the allowlist, with a forbidden host that records
every TCP connection and UDP datagram it receives (127.0.0.2; the allowlist is 127.0.0.1).

Each test asserts that nothing at all reached the forbidden host: no request, no
connection, no datagram, whether the attempt is a navigation, a redirect hop (chains of
every length up to the 20 Chromium follows), a sub-resource, a worker, a WebSocket, WebRTC,
a ``data:``/``blob:`` page, or a preconnect.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click, GoBack, GoForward, MouseMove, Navigate, Reload, TypeText
from screenpilot.tools.errors import ActionRejected
from tests.environments.browser.conftest import make_env
from tests.environments.browser.forbidden import ForbiddenHost
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.vectors import REDIRECT_CODES, VECTORS, Vector, VectorServer, chain_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_CHROMIUM_REDIRECTS = 20


@pytest.fixture(scope="module")
def forbidden() -> Iterator[ForbiddenHost]:
    with ForbiddenHost() as host:
        yield host


@pytest.fixture(scope="module")
def vectors(forbidden: ForbiddenHost) -> Iterator[VectorServer]:
    with VectorServer(forbidden.port) as server:
        yield server


@pytest.fixture(scope="module")
def guarded(vectors: VectorServer) -> Iterator[BrowserEnvironment]:
    env = make_env(allowed_domains=("127.0.0.1",), start_url=vectors.url("home"), settle_max_s=1.5)
    env.reset()
    yield env
    env.close()


def _home(env: BrowserEnvironment, vectors: VectorServer) -> None:
    """One tab at the allowed home page (vectors open tabs)."""
    session = env._ensure()
    while len(session.pages) > 1:
        session.close_tab(session.pages[-1])
    session.active = 0
    env.goto(vectors.url("home"))
    env.notices.drain()


def _trigger(env: BrowserEnvironment, vectors: VectorServer, vector: Vector) -> None:
    kind, _, arg = vector.trigger.partition(":")
    arg = vectors.fill(arg)
    if kind == "goto":
        # a blocked navigation is rejected; what counts is what reached the host
        with contextlib.suppress(ActionRejected):
            env.execute(Navigate(url=arg))
    elif kind == "js":
        env.evaluate(f"() => {{ {arg}; }}")
    elif kind in ("click", "hover"):
        obs = env.observe()
        at = point_in(obs, by_attr_id(obs, arg))
        env.execute(Click(at=at) if kind == "click" else MouseMove(at=at))
        time.sleep(0.3)  # hover intent and preconnects start after a short delay


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
def test_vector_reaches_nothing(
    guarded: BrowserEnvironment, vectors: VectorServer, forbidden: ForbiddenHost, vector: Vector
) -> None:
    _home(guarded, vectors)
    try:
        guarded.goto(vectors.url(f"v/{vector.name}"))
    except ActionRejected:
        assert vector.main_frame  # the page navigated out while it loaded
    _trigger(guarded, vectors, vector)
    guarded.settle(0.6)
    obs = guarded.observe()  # also bounded: a blocked page must not stall the screenshot
    assert forbidden.seen(settle_s=0.2) == []
    assert urlsplit(obs.url).hostname != "127.0.0.2" and "LEAK" not in obs.title
    if vector.main_frame:
        assert any("was blocked" in n and "127.0.0.2" in n for n in obs.notices), obs.notices


@pytest.mark.parametrize("hops", range(1, MAX_CHROMIUM_REDIRECTS + 1))
def test_redirect_chain_of_any_length_is_held(
    guarded: BrowserEnvironment, vectors: VectorServer, forbidden: ForbiddenHost, hops: int
) -> None:
    before = guarded.page.url
    code = REDIRECT_CODES[hops % len(REDIRECT_CODES)]
    start = chain_url(vectors.origin, hops - 1, forbidden.url(f"leak/chain-{hops}"), code)
    with pytest.raises(ActionRejected, match=r"127\.0\.0\.2"):
        guarded.execute(Navigate(url=start))
    assert forbidden.seen() == []
    assert guarded.page.url == before  # the page stayed where it was
    assert vectors.count(start.removeprefix(vectors.origin)) == 1  # each hop fetched once


def test_answer_that_changes_between_requests_is_held(
    guarded: BrowserEnvironment, vectors: VectorServer, forbidden: ForbiddenHost
) -> None:
    """A server answering a look-ahead request differently from the browser's cannot steer
    the browser out, and every allowed hop is fetched once."""
    _home(guarded, vectors)
    flip = f"/flip?to={forbidden.url('leak/flip')}"
    guarded.execute(Navigate(url=vectors.url(f"redirect?to={vectors.origin}{flip}")))
    assert guarded.observe().title == "flip"
    assert vectors.count(flip) == 1
    guarded.execute(Navigate(url=vectors.url("home")))
    with pytest.raises(ActionRejected, match=r"127\.0\.0\.2"):
        guarded.execute(Navigate(url=vectors.url(flip.lstrip("/"))))  # now it redirects out
    assert forbidden.seen(settle_s=0.1) == []


def test_history_navigations_are_held(
    guarded: BrowserEnvironment, vectors: VectorServer, forbidden: ForbiddenHost
) -> None:
    """Reload, back and forward to a page that now redirects out reach nothing (each URL
    answers a page the first time and a redirect to the forbidden host afterwards)."""
    for kind in ("reload", "back", "forward"):
        _home(guarded, vectors)
        flip = vectors.url(f"flip?k={kind}&to={forbidden.url('leak/' + kind)}")
        guarded.execute(Navigate(url=flip))
        assert guarded.observe().title == "flip"
        with contextlib.suppress(ActionRejected):  # rejected, or restored from the page cache
            if kind == "reload":
                guarded.execute(Reload())
            else:
                guarded.execute(Navigate(url=vectors.url("blank.html")))
                guarded.execute(GoBack())
                if kind == "forward":
                    guarded.execute(GoBack())
                    guarded.execute(GoForward())
        assert urlsplit(guarded.observe().url).hostname != "127.0.0.2"
    assert forbidden.seen(settle_s=0.2) == []
    reloaded = f"/flip?k=reload&to={forbidden.url('leak/reload')}"
    assert vectors.count(reloaded) == 2  # the reload asked again and was redirected out


def test_page_with_a_forbidden_frame_is_usable(vectors: VectorServer, forbidden: ForbiddenHost) -> None:
    """reset() on a page embedding a forbidden frame succeeds and the page takes input."""
    env = make_env(allowed_domains=("127.0.0.1",), start_url=vectors.url("v/frame-src"))
    try:
        obs = env.reset()
        assert obs.url == vectors.url("v/frame-src")
        assert any("frame loading" in n and "127.0.0.2" in n for n in obs.notices), obs.notices
        env.goto(vectors.url("v/frame-redirect"))
        assert env.evaluate("() => document.title") == "frame-redirect"
        env.execute(Navigate(url=vectors.url("home")))
        env.execute(Click(at=point_in(env.observe(), by_attr_id(env.observe(), "box"))))
        env.execute(TypeText(text="still usable"))
        assert env.evaluate("() => document.getElementById('box').value") == "still usable"
        assert forbidden.seen(settle_s=0.2) == []
    finally:
        env.close()


def test_webrtc_gathers_no_candidate_towards_the_host(
    guarded: BrowserEnvironment, vectors: VectorServer, forbidden: ForbiddenHost
) -> None:
    _home(guarded, vectors)
    guarded.goto(vectors.url("v/webrtc"))
    time.sleep(1.5)  # ICE gathering: STUN binding requests would go out within this time
    assert forbidden.seen() == []
    assert "srflx" not in guarded.evaluate("() => document.title")
