"""Cheap fingerprints of pixels, and the last screen's reading kept for an identical screen.

Reading a screen's text costs hundreds of milliseconds; hashing its pixels a few. Whoever
reads screens one after another (the offline grounder, the planner's text listing) keeps
the last reading in a :class:`LastScreen` and gets it back for a pixel-identical screen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
from PIL import Image

T = TypeVar("T")


def pixel_hash(arr: np.ndarray) -> str:
    """A digest of an array's pixels and shape (crops of the same look hash the same)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(str(arr.shape).encode())
    h.update(np.ascontiguousarray(arr).data)
    return h.hexdigest()


def screen_fingerprint(image: Image.Image | np.ndarray) -> str:
    """A digest of a whole screenshot: equal for pixel-identical screens (a few ms at 1280x800)."""
    if isinstance(image, Image.Image):
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{image.mode}{image.size}".encode())
        h.update(image.tobytes())
        return h.hexdigest()
    return pixel_hash(image)


class LastScreen(Generic[T]):
    """What was read from the last screen, given again while the screen is pixel-identical."""

    def __init__(self) -> None:
        self._last: tuple[str, T] | None = None

    def read(self, image: Image.Image, read: Callable[[Image.Image], T]) -> T:
        """``read(image)``, or the last result when ``image`` shows the same pixels."""
        key = screen_fingerprint(image)
        if self._last is None or self._last[0] != key:
            self._last = (key, read(image))
        return self._last[1]

    def forget(self) -> None:
        """The next screen is read whatever it shows."""
        self._last = None
