"""Grey thumbnails of frames and their difference hashes, computed once per frame.

The effect measure compares an action's before and after frames, and the loop detector
hashes the frame each step was decided on; the after frame of one action is often the
next step's observation, the same image object. Each needs the same thumbnail (grey levels
of 4x4 pixel boxes), so it is made once per image and kept for the few most recent ones.
Frames are not modified once captured, so an image's thumbnail stays valid.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
from numpy.typing import NDArray
from PIL import Image

BOX = 4
"""Side of the pixel boxes a thumbnail averages."""
_KEPT = 4
"""How many images' thumbnails are kept."""

_lock = threading.Lock()
_kept: list[tuple[weakref.ref[Image.Image], NDArray[np.int16]]] = []


def gray_boxes(image: Image.Image) -> NDArray[np.int16]:
    """Grey levels of ``image``'s 4x4 pixel boxes (one pass over the full-size image),
    computed once per image object."""
    with _lock:
        for ref, gray in _kept:
            if ref() is image:
                return gray
    small = image.reduce(BOX) if min(image.size) >= BOX else image
    gray = np.asarray(small.convert("L"), dtype=np.int16)
    with _lock:
        _kept.append((weakref.ref(image), gray))
        del _kept[:-_KEPT]
    return gray


def dhash(gray: NDArray[np.int16], size: int = 8) -> int:
    """A ``size`` x ``size``-bit difference hash of grey levels: robust to small rendering
    noise, sensitive to layout."""
    tiny = Image.fromarray(gray.astype(np.uint8)).resize((size + 1, size), Image.Resampling.BOX)
    g = np.asarray(tiny, dtype=np.int16)
    bits = (g[:, 1:] > g[:, :-1]).flatten()
    return int(sum(1 << i for i, b in enumerate(bits) if b))


def image_dhash(image: Image.Image, size: int = 8) -> int:
    """:func:`dhash` of an image's thumbnail."""
    return dhash(gray_boxes(image), size)
