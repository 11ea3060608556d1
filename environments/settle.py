"""Wait until the screen stops changing, by comparing frames."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PIL import Image

from screenpilot.environments.base import SettleResult


def frames_differ(a: Image.Image, b: Image.Image, *, tolerance: float = 0.002) -> bool:
    """Whether more than ``tolerance`` of the pixels changed (a blinking caret does not count)."""
    if a.size != b.size:
        return True
    small = (max(1, a.width // 4), max(1, a.height // 4))
    xa = np.asarray(a.convert("L").resize(small, Image.Resampling.BOX), dtype=np.int16)
    xb = np.asarray(b.convert("L").resize(small, Image.Resampling.BOX), dtype=np.int16)
    changed = np.count_nonzero(np.abs(xa - xb) > 8)
    return bool(changed > tolerance * xa.size)


def wait_for_stable_frames(
    grab: Callable[[], Image.Image],
    *,
    timeout_s: float,
    interval_s: float = 0.05,
    frames: int = 2,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SettleResult:
    """Grab frames until ``frames`` consecutive grabs are equal, or ``timeout_s`` passes."""
    start = clock()
    previous = grab()
    grabs = 1
    equal_run = 1
    while equal_run < frames:
        if clock() - start >= timeout_s:
            return SettleResult(stable=False, elapsed_s=clock() - start, checks=grabs)
        sleep(interval_s)
        current = grab()
        grabs += 1
        equal_run = 1 if frames_differ(previous, current) else equal_run + 1
        previous = current
    return SettleResult(stable=True, elapsed_s=clock() - start, checks=grabs)
