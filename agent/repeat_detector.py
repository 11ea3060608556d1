"""Loop detection: the same action on the same target on the same screen, again and again."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from screenpilot.agent.config import LoopConfig
from screenpilot.environments.encoded import digest_of, known_png
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


@dataclass
class _Seen:
    """One step in the window: its action signature and its screen, hashed on demand."""

    sig: str
    image: Image.Image | None
    """Kept (undecoded, as the driver's bytes) until its perceptual hash is needed."""
    exact: str | None
    """Digest of the driver's encoding when it gave one (equal digests: the same pixels)."""
    perceptual: int | None = None

    def hash(self) -> int:
        if self.perceptual is None:
            assert self.image is not None
            self.perceptual, self.image = image_dhash(self.image), None
        return self.perceptual


class LoopDetector:
    """Counts how often the latest step repeats within a sliding window.

    Screens are compared only for steps whose actions match: first by the driver's
    encoding (equal bytes, the same screen, nothing decoded), then by a perceptual hash.
    """

    def __init__(self, config: LoopConfig) -> None:
        self.config = config
        self._recent: deque[_Seen] = deque(maxlen=config.window)

    def record(self, actions: Sequence[Action], screenshot: Image.Image, geometry: ScreenGeometry) -> int:
        """Add a step; return how many steps in the window match it (itself included)."""
        step = _Seen(
            sig=action_signature(actions, geometry, self.config.grid_px), image=screenshot, exact=None
        )
        if known_png(screenshot) is not None:
            step.exact = digest_of(screenshot)
        else:
            step.hash()  # nothing cheaper to compare by: hash now, keep no pixels
        self._recent.append(step)
        return sum(1 for other in self._recent if other.sig == step.sig and self._same_screen(step, other))

    def _same_screen(self, a: _Seen, b: _Seen) -> bool:
        if a is b or (a.exact is not None and a.exact == b.exact):
            return True
        return bin(a.hash() ^ b.hash()).count("1") <= self.config.hash_distance

    def reset(self) -> None:
        self._recent.clear()
