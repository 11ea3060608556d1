"""The PNG encoding of a screenshot, made or received once and shared by everyone.

A browser hands over its screenshot as PNG; the agent decodes it for the model and the
checks, the recorder stores it, the HTTP backend sends it, and the next steps send it again
as history. Each of them asking for "the PNG" gets the same bytes: the driver's when a
driver registered them with :func:`remember_png`, else one encode made on first use. The
bytes live exactly as long as the image object (a weak reference drops them with it), so a
copy or a resized image is a new object with an encoding of its own.

Screenshots are never drawn on in place (overlays draw on copies), which is what makes an
encoding per object valid for the object's whole life.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from screenpilot.environments import png


@dataclass
class _Entry:
    ref: weakref.ref[Image.Image]
    data: bytes
    digest: str | None = None


_known: dict[int, _Entry] = {}
_dead: list[int] = []
"""Keys of collected images, purged on the next store (a weak-reference callback can run
at any moment, even while this thread holds the lock, so it only appends here)."""
_lock = threading.Lock()


def remember_png(image: Image.Image, data: bytes) -> None:
    """Record ``data`` (PNG bytes that decode to exactly ``image``) as its encoding."""
    _store(image, _Entry(weakref.ref(image, _forget(id(image))), data))


def known_png(image: Image.Image) -> bytes | None:
    """The encoding remembered for ``image``, without encoding anything."""
    entry = _entry(image)
    return entry.data if entry is not None else None


def png_of(image: Image.Image) -> bytes:
    """``image`` as PNG: the remembered bytes, else an encode remembered from now on."""
    return _entry_or_encode(image).data


def digest_of(image: Image.Image) -> str:
    """SHA-256 (hex) of :func:`png_of` ``image``, computed once per image object."""
    entry = _entry_or_encode(image)
    if entry.digest is None:
        entry.digest = hashlib.sha256(entry.data).hexdigest()
    return entry.digest


def _entry_or_encode(image: Image.Image) -> _Entry:
    entry = _entry(image)
    if entry is None:
        entry = _Entry(weakref.ref(image, _forget(id(image))), png.encode_png(image))
        _store(image, entry)
    return entry


def _entry(image: Image.Image) -> _Entry | None:
    with _lock:
        entry = _known.get(id(image))
    if entry is None or entry.ref() is not image:
        return None
    return entry


def _store(image: Image.Image, entry: _Entry) -> None:
    with _lock:
        while _dead:
            key = _dead.pop()
            stale = _known.get(key)
            if stale is not None and stale.ref() is None:
                del _known[key]
        _known[id(image)] = entry


def _forget(key: int) -> Callable[[weakref.ref[Image.Image]], None]:
    def drop(_: weakref.ref[Image.Image]) -> None:
        _dead.append(key)

    return drop
