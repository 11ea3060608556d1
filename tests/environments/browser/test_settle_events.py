"""The settle wait is event-driven: one look when the action changed nothing, and a wait
measured from the last change when it did (timers it scheduled, finite transitions, a
navigation); an endless spinner does not hold it."""

from __future__ import annotations

import pytest

from screenpilot.agent.act import Actor
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INERT = Point(x=900, y=500, space=CoordSpace.SCREEN)
"""A blank spot of ``settle_events.html``: nothing listens there."""


def _open(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("settle_events.html"))
    env.settle(2.0)


def test_a_static_page_settles_after_one_look_despite_a_spinner(
    env: BrowserEnvironment, server: PageServer
) -> None:
    _open(env, server)
    assert env.evaluate("document.getAnimations().length") == 1  # the endless spinner runs
    env.execute(Click(at=INERT))
    result = env.settle(2.0)
    assert result.stable and result.checks == 1


def test_the_step_record_says_how_settling_went(env: BrowserEnvironment, server: PageServer) -> None:
    _open(env, server)
    acted = Actor(env).act(Click(at=INERT), env.observe(), settle_timeout_s=2.0)
    assert acted.ok and acted.outcome.settle is not None
    assert acted.outcome.settle.stable and acted.outcome.settle.checks == 1
    assert acted.outcome.model_dump(mode="json")["settle"]["checks"] == 1


def test_updates_scheduled_by_the_action_are_waited_for_until_quiet(
    env: BrowserEnvironment, server: PageServer
) -> None:
    _open(env, server)
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "staged"))))
    result = env.settle(2.0)
    assert result.stable and result.checks > 1
    assert env.evaluate("document.getElementById('out').textContent") == "two"
    # the second update came 150 ms after the click; quiet for settle_quiet_s (0.1 s) since
    assert result.elapsed_s >= 0.25


def test_a_finite_transition_is_waited_for(env: BrowserEnvironment, server: PageServer) -> None:
    _open(env, server)
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "grow"))))
    result = env.settle(2.0)
    assert result.stable and result.elapsed_s >= 0.4  # the width transition takes 0.4 s
    width = env.evaluate("getComputedStyle(document.getElementById('panel')).width")
    assert width == "600px"


def test_a_navigation_started_by_a_click_is_waited_for(env: BrowserEnvironment, server: PageServer) -> None:
    _open(env, server)
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "away"))))
    result = env.settle(3.0)
    assert result.stable and result.checks > 1
    assert "/slow" in env.page.url
    assert env.evaluate("document.getElementById('arrived').textContent") == "arrived"


def test_a_step_makes_no_round_trip_twice(
    env: BrowserEnvironment, server: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The title comes with the elements, the mark before the action with the hit-test, the
    effect with the look that ends the settle wait."""
    from screenpilot.environments.browser import pump

    _open(env, server)
    asked: list[str] = []
    real_call = pump.call

    def counting_call(target, fn, timeout_s, what, *rest):  # type: ignore[no-untyped-def]
        asked.append(what)
        return real_call(target, fn, timeout_s, what, *rest)

    monkeypatch.setattr(pump, "call", counting_call)
    acted = Actor(env).act(Click(at=INERT), env.observe(), settle_timeout_s=2.0)
    assert acted.ok and acted.outcome.settle is not None and acted.outcome.settle.checks == 1
    assert "title" not in asked, asked
    assert asked.count("settle check") == 1, asked  # the look after the action; the mark came along
    assert asked.count("effect probe") == 1, asked  # the hit-test before it; the effect came along
    assert env.observe().title == "Settle events", asked
