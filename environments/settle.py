"""Wait until the screen stops changing, by comparing cheap downscaled frames.

A settle wait compares *samples*: every fourth pixel of every fourth row of a frame, taken
straight from the capture's raw buffer (no full-size conversion or resize). The first
sample is grabbed right after the action; a still screen is declared settled after one
short interval. Once a change is seen, samples are compared ``interval_s`` apart, so an
animation slower than the first interval is not mistaken for a still screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from screenpilot.environments.base import SettleResult

SAMPLE_STEP = 4
"""Pixels and rows skipped between the pixels a sample keeps."""

Sample = NDArray[np.uint8]
"""A downscaled frame: rows x columns x channels, in the channel order of its source (3
channels, or 4 with the fourth always 0 when taken from a 4-byte-per-pixel buffer)."""

T = TypeVar("T")


def sample_pixels(pixels: NDArray[np.uint8], step: int = SAMPLE_STEP) -> Sample:
    """Every ``step``-th pixel of every ``step``-th row of a rows x columns x channels array
    (BGRA, RGBA or RGB), colour channels only, as a small contiguous copy."""
    return np.ascontiguousarray(pixels[::step, ::step, :3])


def sample_raw(raw: bytes | bytearray | memoryview, width: int, height: int, offset: int = 0) -> Sample:
    """Sample of a 4-bytes-per-pixel buffer (mss's BGRA, Android's raw ``screencap``).

    The pixels are gathered as whole 32-bit words (ten times faster than byte by byte) and
    the fourth byte (padding or alpha) is zeroed, so the sample keeps four channels, the
    last one always 0: contiguous, and compared as fast as the words themselves."""
    words = np.frombuffer(raw, dtype="<u4", count=width * height, offset=offset)
    kept = np.ascontiguousarray(words.reshape(height, width)[::SAMPLE_STEP, ::SAMPLE_STEP])
    kept &= np.uint32(0x00FFFFFF)
    return kept.view(np.uint8).reshape(kept.shape[0], kept.shape[1], 4)


def sample_image(image: Image.Image) -> Sample:
    """Sample of a PIL image (any mode; converted to RGB)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return sample_pixels(np.asarray(rgb))


def samples_differ(a: Sample, b: Sample, *, tolerance: float = 0.002) -> bool:
    """Whether more than ``tolerance`` of the sampled pixels changed by more than 8 levels in
    some channel (a blinking caret does not count)."""
    if a.shape != b.shape:
        return True
    if a.tobytes() == b.tobytes():
        return False
    delta = np.maximum(a, b)
    delta -= np.minimum(a, b)
    over = delta > 8
    if over.shape[2] == 4 and over.flags.c_contiguous:
        changed = np.count_nonzero(over.view(np.uint32))  # a pixel's four flags as one word
    else:
        changed = np.count_nonzero(over.any(axis=2))
    return bool(changed > tolerance * a.shape[0] * a.shape[1])


def frames_differ(a: Image.Image, b: Image.Image, *, tolerance: float = 0.002) -> bool:
    """:func:`samples_differ` of two images."""
    if a.size != b.size:
        return True
    return samples_differ(sample_image(a), sample_image(b), tolerance=tolerance)


def wait_for_stable_frames(
    grab: Callable[[], T],
    *,
    timeout_s: float,
    interval_s: float = 0.05,
    first_interval_s: float = 0.035,
    frames: int = 2,
    differ: Callable[[T, T], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SettleResult:
    """Grab until ``frames`` consecutive grabs agree, or ``timeout_s`` passes.

    Args:
        grab: Returns a sample (or an image, with ``differ=frames_differ``).
        timeout_s: Bound on the whole wait.
        interval_s: Time between grabs once the screen was seen changing.
        first_interval_s: Time between grabs until then (a still screen settles after one).
            The 35 ms default tells a still screen from an animation of 30 frames a second
            or faster (the desktop's ``settle_first_interval_s`` has the same default).
        frames: Consecutive equal grabs that count as settled.
        differ: Whether two grabs differ; :func:`samples_differ` when ``None``.

    Returns:
        Whether the screen settled, the time spent and how many comparisons were made.
    """
    compare: Callable[[T, T], bool] = differ or samples_differ  # type: ignore[assignment]
    start = clock()
    previous = grab()
    equal_run, checks = 1, 0
    wait = min(first_interval_s, interval_s)
    while equal_run < frames:
        elapsed = clock() - start
        if elapsed >= timeout_s:
            return SettleResult(stable=False, elapsed_s=elapsed, checks=checks)
        sleep(min(wait, timeout_s - elapsed))
        current = grab()
        checks += 1
        if compare(previous, current):
            equal_run, wait = 1, interval_s
        else:
            equal_run += 1
        previous = current
    return SettleResult(stable=True, elapsed_s=clock() - start, checks=checks)
