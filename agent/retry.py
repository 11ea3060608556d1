"""Exponential backoff with jitter."""

from __future__ import annotations

import random

from screenpilot.agent.config import RetryConfig


def backoff_delay(
    attempt: int, config: RetryConfig, *, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based).

    A server's ``Retry-After`` wins when it asks for longer than the computed delay.
    """
    ceiling = min(config.max_s, config.base_s * (2 ** (attempt - 1)))
    r = (rng or random).random()
    delay = ceiling * (1 - config.jitter) + ceiling * config.jitter * r
    if retry_after is not None:
        delay = max(delay, min(retry_after, config.max_s * 3))
    return delay
