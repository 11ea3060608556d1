"""Mouse and keyboard through pyautogui, in input (logical) coordinates.

Every method takes integer input coordinates already converted by
``screenpilot.environments.geometry``; nothing here knows about screenshots or relative spaces.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from screenpilot.environments.desktop.keymap import pyautogui_keys
from screenpilot.environments.desktop.pyautogui_binding import PyAutoGuiBinding
from screenpilot.tools.errors import ActionRejected, DriverError

XY = tuple[int, int]
MULTI_CLICK_INTERVAL_S = 0.05
"""Between the clicks of a double or triple click."""


class PointerKeyboard:
    """pyautogui's mouse and keyboard with the driver's timings.

    Args:
        binding: pyautogui bound to this driver's display and settings.
        move_duration_s: Duration of pointer moves.
        drag_duration_s: Duration of each drag segment.
        type_interval_s: Delay between typed characters.
        check_deadline: Called between sub-steps of long actions; raises when time is up
            or the kill switch fired.
    """

    def __init__(
        self,
        binding: PyAutoGuiBinding,
        *,
        move_duration_s: float,
        drag_duration_s: float,
        type_interval_s: float,
        check_deadline: Callable[[], None],
    ) -> None:
        self._b = binding
        self._move = move_duration_s
        self._drag = drag_duration_s
        self._interval = type_interval_s
        self._check = check_deadline

    def reject_failsafe_target(self, xy: XY) -> None:
        """Refuse targets on a fail-safe corner: the next action would abort the run."""
        if self._b.failsafe and xy in self._b.failsafe_points:
            raise ActionRejected(
                f"{xy} is a fail-safe corner of the screen; pick a point at least one pixel inside"
            )

    def position(self) -> XY:
        with self._b.bound() as pg:
            x, y = pg.position()
        return int(x), int(y)

    def move(self, xy: XY) -> None:
        with self._b.bound() as pg:
            pg.moveTo(*xy, duration=self._move)

    def click(self, xy: XY, *, button: str, count: int, modifiers: Sequence[str] = ()) -> None:
        names = pyautogui_keys(tuple(modifiers))
        with self._b.bound() as pg:
            if self._move or names:
                # Otherwise the click's own jump to the point does it, without the round
                # trips of a separate move.
                pg.moveTo(*xy, duration=self._move)
            pressed: list[str] = []
            try:
                for name in names:
                    pg.keyDown(name)
                    pressed.append(name)
                for i in range(count):
                    if i:
                        # Far enough apart to be separate presses, close enough to count
                        # as a double click (pyautogui would sleep after the last one too).
                        time.sleep(MULTI_CLICK_INTERVAL_S)
                    pg.click(*xy, button=button)
            finally:
                for name in reversed(pressed):
                    pg.keyUp(name)

    def press_hold(self, xy: XY, seconds: float, button: str = "left") -> None:
        with self._b.bound() as pg:
            pg.moveTo(*xy, duration=self._move)
            pg.mouseDown(*xy, button=button)
            try:
                self._sleep(seconds)
            finally:
                pg.mouseUp(button=button)

    def drag(self, path: Sequence[XY], *, button: str, hold_s: float, from_pointer: bool) -> None:
        """Press at the first point (or where the pointer is), move through the rest, release."""
        points = list(path)
        with self._b.bound() as pg:
            if not from_pointer:
                start = points.pop(0)
                pg.moveTo(*start, duration=self._move)
            pg.mouseDown(button=button)
            try:
                self._sleep(hold_s)
                for xy in points:
                    self._check()
                    pg.moveTo(*xy, duration=self._drag)
            finally:
                pg.mouseUp(button=button)

    def scroll(self, notches: int, *, horizontal: bool, at: XY | None) -> None:
        """Scroll ``notches`` wheel clicks: positive is up (or right)."""
        with self._b.bound() as pg:
            if at is not None:
                pg.moveTo(*at, duration=self._move)
            if horizontal:
                pg.hscroll(notches)
            else:
                pg.scroll(notches)

    def chord(self, keys: Sequence[str]) -> None:
        """Press keys down in order and release them in reverse, even after a failure."""
        names = pyautogui_keys(tuple(keys))
        self._check_keys(names)
        with self._b.bound() as pg:
            pressed: list[str] = []
            try:
                for name in names:
                    pg.keyDown(name)
                    pressed.append(name)
            finally:
                for name in reversed(pressed):
                    pg.keyUp(name)

    def type_ascii(self, text: str) -> None:
        """Type printable ASCII (and newlines) key by key, checking the deadline per chunk."""
        with self._b.bound() as pg:
            for start in range(0, len(text), 32):
                self._check()
                pg.write(text[start : start + 32], interval=self._interval)

    def _check_keys(self, names: Sequence[str]) -> None:
        # pyautogui silently ignores keys it has no keycode for; say so instead.
        mapping = getattr(self._b.pg.platformModule, "keyboardMapping", None)
        if mapping is None:
            return
        with self._b.bound():
            live = self._b.pg.platformModule.keyboardMapping
            missing = [n for n in names if live.get(n) is None and not (len(n) == 1 and n.isalnum())]
        if missing:
            raise DriverError(f"this keyboard has no key for {', '.join(missing)}")

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check()
            time.sleep(min(left, 0.05))
