"""Drag, hover, long press, double/triple and right clicks, and wheel-free waiting."""

from __future__ import annotations

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click, Drag, LongPress, MouseButton, MouseMove, Wait
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pointer_gestures(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("pointer.html"))
    obs = env.observe()
    knob = Point(x=120, y=120)
    end = Point(x=knob.x + 200, y=knob.y + 50)
    env.execute(Drag(path=(knob, Point(x=knob.x + 100, y=knob.y), end)))
    assert env.evaluate("[knob.offsetLeft, knob.offsetTop]") == [300, 150]

    env.execute(MouseMove(at=Point(x=460 * 1000 / 1280, y=120 * 1000 / 800, space=CoordSpace.REL1000)))
    assert (
        env.evaluate("getComputedStyle(document.getElementById('hover')).backgroundColor")
        == "rgb(204, 51, 51)"
    )

    press = point_in(obs, by_attr_id(obs, "press"))
    env.execute(LongPress(at=press, seconds=0.4))
    env.execute(Click(at=press, count=2))
    env.execute(Click(at=press, button=MouseButton.RIGHT))
    log = env.evaluate("window.log")
    assert log[0] == "enter"
    assert log[1].startswith("held ") and int(log[1].split()[1]) >= 380
    assert log.index("dblclick") < log.index("contextmenu")

    # a div with a pointer listener is listed as clickable, plain text blocks as text
    kinds = {e.attributes.get("id"): e.attributes.get("sp-kind", e.role) for e in obs.elements}
    assert kinds == {"press": "button", "knob": "clickable", "hover": "text", "words": "text"}
    env.execute(Click(at=Point(x=130, y=318), count=3))
    assert env.evaluate("window.getSelection().toString().trim()") == "alpha beta gamma"
    assert "waited 0.1s" in env.execute(Wait(seconds=0.1)).message
