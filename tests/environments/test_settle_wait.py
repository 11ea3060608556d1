"""The shared still-screen wait: its first look comes late enough to see an animation."""

from __future__ import annotations

from screenpilot.environments.settle import wait_for_stable_frames


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_screen_that_changes_every_30_ms_is_not_taken_for_still() -> None:
    """An animation at about 33 frames a second: a look 10 ms after the first would often
    see the same frame and call the screen settled; the default first interval cannot."""
    clock = Clock()
    frame = lambda: int(clock.now / 0.030)  # noqa: E731 - the frame shown now

    result = wait_for_stable_frames(
        frame, timeout_s=0.5, differ=lambda a, b: a != b, clock=clock, sleep=clock.sleep
    )
    assert clock.sleeps[0] >= 0.030
    assert result.checks > 1 or not result.stable


def test_a_still_screen_settles_after_one_look() -> None:
    clock = Clock()
    result = wait_for_stable_frames(
        lambda: 0, timeout_s=0.5, differ=lambda a, b: a != b, clock=clock, sleep=clock.sleep
    )
    assert (result.stable, result.checks) == (True, 1)
    assert clock.sleeps == [0.035]
