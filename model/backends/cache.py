"""A small cache keyed on object identity, for per-image work repeated across steps.

History screenshots are the same PIL objects step after step; resizing and encoding them
again for every request would make each step slower than the last.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    """Remembers ``fn(key)`` for the last ``size`` keys, compared by identity.

    The key object is held alongside its value so that its ``id`` cannot be reused by
    another object while the entry lives.
    """

    def __init__(self, fn: Callable[[K], V], size: int = 16) -> None:
        self._fn = fn
        self._size = size
        self._items: OrderedDict[int, tuple[K, V]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        with self._lock:
            hit = self._items.get(id(key))
            if hit is not None and hit[0] is key:
                self._items.move_to_end(id(key))
                return hit[1]
        value = self._fn(key)
        with self._lock:
            self._items[id(key)] = (key, value)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
