"""Run configuration: budgets, timeouts, retry and loop-detection settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class RetryConfig(BaseModel):
    """Exponential backoff with full jitter for transient model failures.

    A step stops asking after ``attempts`` calls or once ``give_up_s`` have passed since
    its first call, whichever comes first: with the defaults, a server that accepts the
    connection and never answers ends the run after about a minute.
    """

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    attempts: int = Field(default=4, ge=1, le=20)
    base_s: float = Field(default=0.5, ge=0.0)
    max_s: float = Field(default=20.0, ge=0.0)
    jitter: float = Field(default=0.5, ge=0.0, le=1.0)
    """Fraction of each delay that is randomised."""
    give_up_s: float = Field(default=60.0, gt=0.0)
    """Longest a step waits for the model, over all its attempts and backoff delays."""
    say_every_s: float = Field(default=10.0, gt=0.0)
    """While a call is outstanding, how often the run says it is still waiting."""


class LoopConfig(BaseModel):
    """When repeating the same action on the same screen becomes a loop.

    A step's signature is its action with targets quantised to a grid, plus a perceptual
    hash of the screen it acted on. ``nudge_after`` equal signatures in the recent window
    add a note to the next prompt; ``stop_after`` end the run with ``LoopDetected``.
    """

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    enabled: bool = True
    window: int = Field(default=8, ge=2)
    nudge_after: int = Field(default=3, ge=2)
    stop_after: int = Field(default=5, ge=2)
    grid_px: int = Field(default=24, ge=1)
    """Targets closer than this many logical pixels count as the same target."""
    hash_distance: int = Field(default=4, ge=0)
    """Perceptual hashes within this Hamming distance count as the same screen."""


class AgentConfig(BaseModel):
    """Everything that bounds and shapes one run.

    Attributes:
        max_steps: Step budget; running out ends the run as ``truncated``.
        max_seconds: Wall-clock budget; running out ends the run as ``timeout``.
        model_timeout_s: Limit for one policy call (the step's whole wait is bounded by
            ``retry.give_up_s``).
        action_timeout_s: Limit for one action.
        settle_timeout_s: Bound on waiting for the screen to settle after each action.
        max_consecutive_failures: Steps in a row that may fail before the run errors.
        max_output_retries: Re-asks allowed after malformed output, per step.
        retry: Backoff for transport errors.
        loop: Loop detection.
        keep_screenshots: How many recent screenshots the history keeps in memory.
        abort_file: When this file exists the run aborts (checked before every action).
        record_screenshots: Whether trajectories store screenshots.
    """

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    max_steps: int = Field(default=30, ge=1)
    max_seconds: float = Field(default=600.0, gt=0.0)
    model_timeout_s: float = Field(default=45.0, gt=0.0)
    action_timeout_s: float = Field(default=30.0, gt=0.0)
    settle_timeout_s: float = Field(default=2.0, ge=0.0)
    max_consecutive_failures: int = Field(default=5, ge=1)
    max_output_retries: int = Field(default=3, ge=0)
    retry: RetryConfig = RetryConfig()
    loop: LoopConfig = LoopConfig()
    keep_screenshots: int = Field(default=4, ge=0)
    abort_file: Path | None = None
    record_screenshots: bool = True
