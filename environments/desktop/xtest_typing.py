"""Race-free typing of any Unicode text on X11 through XTest and spare keycodes.

``xdotool type`` maps each character onto one scratch keycode, presses it and maps the
next character onto the same keycode. Applications translate a key event into text when
they *process* it, fetching the keymap as it is then, so under load they read the
next character's mapping (or none) and type the wrong thing. Here every distinct
character of a batch gets its own spare keycode (one with no symbols), the whole batch
is mapped before any key is pressed, and mappings stay until the driver closes: a
slow application still finds each keycode's character when it gets to the event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screenpilot.tools.errors import DriverError

_SPECIAL = {"\n": 0xFF0D, "\r": 0xFF0D, "\t": 0xFF09}  # Return, Tab


def char_keysym(ch: str) -> int:
    """The X keysym for one character (Latin-1 directly, the rest as Unicode keysyms)."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    code = ord(ch)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 + code


def batches(text: str, capacity: int) -> list[str]:
    """Split ``text`` into runs of at most ``capacity`` distinct characters, in order."""
    out: list[str] = []
    current: list[str] = []
    distinct: set[str] = set()
    for ch in text:
        if ch not in distinct and len(distinct) == capacity:
            out.append("".join(current))
            current, distinct = [], set()
        current.append(ch)
        distinct.add(ch)
    if current:
        out.append("".join(current))
    return out


class XTestTyper:
    """Types text on one X connection by borrowing keycodes that have no symbols.

    Args:
        display: A python-xlib ``Display`` (used from the environment's thread only).
        settle: Called between batches when a text needs more characters than there
            are spare keycodes, so the application can process the keys already sent
            before their keycodes are reused.
    """

    def __init__(self, display: Any, settle: Callable[[], None]) -> None:
        self._d = display
        self._settle = settle
        self._spare: list[int] | None = None
        self._assigned: dict[str, int] = {}

    def _spares(self) -> list[int]:
        if self._spare is None:
            first = self._d.display.info.min_keycode
            count = self._d.display.info.max_keycode - first + 1
            rows = self._d.get_keyboard_mapping(first, count)
            self._spare = [first + i for i, row in enumerate(rows) if not any(row)]
            if not self._spare:
                raise DriverError("the keyboard map has no free keycode to type non-ASCII text with")
        return self._spare

    def type(self, text: str, check: Callable[[], None]) -> None:
        """Type ``text``; ``check`` runs between batches (deadline and abort checks)."""
        spares = self._spares()
        for i, batch in enumerate(batches(text, len(spares))):
            if i:
                self._settle()
                check()
            self._send(batch, spares)

    def _send(self, chars: str, spares: list[int]) -> None:
        from Xlib import X
        from Xlib.ext import xtest

        wanted = set(chars)
        missing = [c for c in dict.fromkeys(chars) if c not in self._assigned]
        if missing:
            taken = {self._assigned[c] for c in wanted if c in self._assigned}
            free = [k for k in spares if k not in taken and k not in self._assigned.values()]
            # Take keycodes back from characters this batch does not type.
            for ch in [c for c in self._assigned if c not in wanted]:
                if len(free) >= len(missing):
                    break
                free.append(self._assigned.pop(ch))
            changes = {}
            for ch, code in zip(missing, free, strict=False):
                changes[code] = char_keysym(ch)
                self._assigned[ch] = code
            self._remap(changes)
        for ch in chars:
            code = self._assigned[ch]
            xtest.fake_input(self._d, X.KeyPress, code)
            xtest.fake_input(self._d, X.KeyRelease, code)
        self._d.sync()

    def _remap(self, changes: dict[int, int]) -> None:
        """Map keycodes to keysyms in ONE request over their range.

        Clients apply keymap changes from MappingNotify events; several notifications in
        a row were seen to leave Tk with a stale table for all but the first keycode, so
        the whole range is rewritten at once (unchanged rows copied from the server).
        """
        first, last = min(changes), max(changes)
        rows = [list(r) for r in self._d.get_keyboard_mapping(first, last - first + 1)]
        for code, sym in changes.items():
            rows[code - first] = [sym] * len(rows[code - first])
        self._d.change_keyboard_mapping(first, rows)
        self._d.sync()

    def close(self) -> None:
        """Give the borrowed keycodes back (no symbols again)."""
        if self._assigned:
            self._remap({code: 0 for code in self._assigned.values()})
        self._assigned = {}
