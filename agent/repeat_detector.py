"""Loop detection: the same action on the same target on the same screen, again and again."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence

from PIL import Image

from screenpilot.agent.config import LoopConfig
from screenpilot.environments.geometry import ScreenGeometry, to_screen
from screenpilot.environments.thumbnails import image_dhash
from screenpilot.tools.actions import Action, points_of
from screenpilot.tools.errors import CoordinateOutOfRange


def action_signature(actions: Sequence[Action], geometry: ScreenGeometry, grid_px: int) -> str:
    """A hash of the actions with every target snapped to a grid in screen pixels."""
    parts = []
    for action in actions:
        data = action.model_dump(mode="json")
        for key in ("at", "path", "start", "end"):
            data.pop(key, None)
        cells = []
        for p in points_of(action):
            try:
                x, y = to_screen(p, geometry)
            except CoordinateOutOfRange:
                x, y = int(p.x), int(p.y)
            cells.append((x // grid_px, y // grid_px))
        parts.append(f"{sorted(data.items())}{cells}")
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


class LoopDetector:
    """Counts how often the latest step repeats within a sliding window."""

    def __init__(self, config: LoopConfig) -> None:
        self.config = config
        self._recent: deque[tuple[str, int]] = deque(maxlen=config.window)

    def record(self, actions: Sequence[Action], screenshot: Image.Image, geometry: ScreenGeometry) -> int:
        """Add a step; return how many steps in the window match it (itself included)."""
        sig = action_signature(actions, geometry, self.config.grid_px)
        h = image_dhash(screenshot)
        self._recent.append((sig, h))
        return sum(
            1
            for s, other in self._recent
            if s == sig and bin(h ^ other).count("1") <= self.config.hash_distance
        )

    def reset(self) -> None:
        self._recent.clear()
