"""A made-up touch environment, written outside the library the way a plug-in would be.

"kiosk" is a portrait touch screen of three big tiles; a tap lights the tile under the
finger. Nothing in screenpilot knows the name: the registry learns it from an entry point
naming :data:`SPEC`, and callers learn how to treat it from its capabilities.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from PIL import Image, ImageDraw

from screenpilot.agent.entries import EntrySpec
from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.geometry import ScreenGeometry, to_screen
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action, Click, LongPress, Swipe
from screenpilot.tools.errors import ActionRejected, EnvCrashed
from screenpilot.tools.points import Box

WIDTH, HEIGHT = 360, 640
TILES = {
    "Tickets": Box(x0=20, y0=40, x1=340, y1=200),
    "Maps": Box(x0=20, y0=240, x1=340, y1=400),
    "Help": Box(x0=20, y0=440, x1=340, y1=600),
}


class KioskEnvironment:
    """Three tiles; ``lit`` is the ground truth of which were tapped."""

    def __init__(self) -> None:
        self.lit: set[str] = set()
        self.closed = False

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            platform="kiosk", actions=frozenset({"click", "long_press", "swipe", "wait"}), input="touch"
        )

    def reset(self) -> Observation:
        self.lit.clear()
        return self.observe()

    def observe(self) -> Observation:
        if self.closed:
            raise EnvCrashed("the kiosk is closed")
        image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        draw = ImageDraw.Draw(image)
        for name, b in TILES.items():
            draw.rectangle((b.x0, b.y0, b.x1, b.y1), fill="gold" if name in self.lit else "lightgray")
            draw.text((b.x0 + 20, b.y0 + 20), name, fill="black")
        return Observation(
            screenshot=image, geometry=ScreenGeometry.simple(WIDTH, HEIGHT), capabilities=self.capabilities
        )

    def execute(self, action: Action) -> StepResult:
        if not self.capabilities.supports(action):
            raise ActionRejected(f"{action.action!r} is not available on the kiosk")
        if isinstance(action, Click | LongPress):
            x, y = to_screen(action.at, ScreenGeometry.simple(WIDTH, HEIGHT))
            hit = [n for n, b in TILES.items() if b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1]
            self.lit.update(hit)
            return StepResult(ok=True, message=f"tapped {hit[0]}" if hit else "tapped nothing")
        if isinstance(action, Swipe):
            return StepResult(ok=True, message="the kiosk does not scroll")
        return StepResult(ok=True)

    def settle(self, timeout_s: float) -> SettleResult:
        start = time.monotonic()
        return SettleResult(stable=True, elapsed_s=time.monotonic() - start)

    def close(self) -> None:
        self.closed = True


def from_options(options: Mapping[str, Any]) -> KioskEnvironment:
    """The registry factory (the kiosk takes no options)."""
    return KioskEnvironment()


SPEC = EntrySpec(
    "tests.environments.kiosk:from_options",
    summary="a made-up touch kiosk of three tiles",
    hermetic="tests.environments.kiosk:KioskEnvironment",
)
