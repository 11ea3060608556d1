"""Clicks land on 4x4 CSS px buttons from image-pixel and rel1000 coordinates, at DPR 1 and 2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.geometry import box_to_space
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.browser.conftest import make_env
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", params=[1.0, 2.0], ids=["dpr1", "dpr2"])
def scaled(request: pytest.FixtureRequest, server: PageServer) -> Iterator[BrowserEnvironment]:
    env = make_env(device_scale_factor=request.param, start_url=server.url("tiny.html"))
    env.reset()
    yield env
    env.close()


@pytest.mark.parametrize("space", [CoordSpace.IMAGE, CoordSpace.REL1000])
def test_tiny_buttons_are_hit(scaled: BrowserEnvironment, space: CoordSpace) -> None:
    scaled.evaluate("window.hits = {}")
    obs = scaled.observe()
    dpr = scaled.config.device_scale_factor
    assert obs.screenshot.size == (round(1280 * dpr), round(800 * dpr))
    assert obs.geometry.scale_factor == dpr
    tiny = [e for e in obs.elements if e.name.startswith("tiny")]
    assert len(tiny) == 6
    for element in tiny:
        assert element.box.width == pytest.approx(4.0)
        c = box_to_space(element.box, space, obs.geometry).center
        # what a model answers: whole numbers in its own space
        at = Point(x=round(c.x), y=round(c.y), space=space)
        scaled.execute(Click(at=at))
    hits = scaled.evaluate("window.hits")
    assert hits == {e.attributes["id"]: 1 for e in tiny}


def test_image_pixels_map_to_css_pixels(scaled: BrowserEnvironment) -> None:
    obs = scaled.observe()
    dpr = scaled.config.device_scale_factor
    scaled.execute(Click(at=Point(x=round(700 * dpr), y=round(300 * dpr), space=CoordSpace.IMAGE)))
    assert scaled.evaluate("window.lastClick") == [700, 300]
    assert obs.geometry.image_size.width == round(1280 * dpr)
