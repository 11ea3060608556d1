"""The desktop kill switch: an abort file and a global abort hotkey, checked before every action.

pyautogui's own fail-safe (the pointer in a screen corner) is the third trigger; it is
raised as :class:`~tools.errors.Aborted` by the pyautogui binding.

The hotkey is grabbed on the X root window (``XGrabKey``), so pressing it anywhere
queues a key event on the driver's own connection, and :meth:`AbortSwitch.check` drains
those events without blocking. Grabbing means the chord no longer reaches applications,
which is why the default is an unusual one (``ctrl+alt+shift+q``). On Windows and macOS
(untested) there is no grab; use the abort file or the fail-safe corner there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from screenpilot.tools.errors import Aborted
from screenpilot.tools.keys import MODIFIERS

_KEYSYM_NAMES = {
    "escape": "Escape",
    "enter": "Return",
    "space": "space",
    "tab": "Tab",
    "backspace": "BackSpace",
    "delete": "Delete",
    "pause": "Pause",
    "home": "Home",
    "end": "End",
}


class AbortSwitch:
    """Raises :class:`Aborted` once the abort file exists or the hotkey was pressed.

    Args:
        abort_file: A path whose existence aborts the run.
        hotkey: Canonical key names, modifiers first, ending in one ordinary key.
        windows: The X11 connection to grab the hotkey on (``None``: no hotkey).
    """

    def __init__(self, abort_file: Path | None, hotkey: Sequence[str], windows: Any | None) -> None:
        self.abort_file = abort_file
        self.hotkey = tuple(hotkey)
        self._display: Any = windows.display if windows is not None else None
        self._grabbed: list[tuple[int, int]] = []
        self.hotkey_problem: str | None = None
        """Why the hotkey is not active, when it is not (for ``screenpilot doctor``)."""
        self._reason = ""
        if self.hotkey and self._display is not None:
            self._grab()
        elif self.hotkey:
            self.hotkey_problem = "global hotkeys are only grabbed on X11"

    @property
    def hotkey_active(self) -> bool:
        return bool(self._grabbed)

    def check(self) -> None:
        """Raise :class:`Aborted` when a trigger fired (it stays fired)."""
        if not self._reason:
            if self.abort_file is not None and self.abort_file.exists():
                self._reason = f"abort file {self.abort_file} exists"
            elif self._hotkey_pressed():
                self._reason = f"abort hotkey {'+'.join(self.hotkey)} pressed"
        if self._reason:
            raise Aborted(self._reason)

    def _hotkey_pressed(self) -> bool:
        from Xlib import X

        if not self._grabbed:
            return False
        pressed = False
        while self._display.pending_events():
            event = self._display.next_event()
            if event.type == X.KeyPress and event.detail in {code for code, _ in self._grabbed}:
                pressed = True
        return pressed

    def _grab(self) -> None:
        from Xlib import XK, X, error

        *mods, key = self.hotkey
        if key in MODIFIERS or any(m not in MODIFIERS for m in mods):
            self.hotkey_problem = f"hotkey {'+'.join(self.hotkey)} must be modifiers followed by one key"
            return
        mask_of = {"ctrl": X.ControlMask, "shift": X.ShiftMask, "alt": X.Mod1Mask, "meta": X.Mod4Mask}
        mask = 0
        for m in mods:
            mask |= mask_of.get(m, 0)
        keysym = XK.string_to_keysym(_KEYSYM_NAMES.get(key, key.upper() if len(key) > 1 else key))
        code = self._display.keysym_to_keycode(keysym)
        if not code:
            self.hotkey_problem = f"this keyboard has no key {key!r} for the abort hotkey"
            return
        root = self._display.screen().root
        catch = error.CatchError(error.BadAccess)
        # Grab with every Lock/NumLock combination, or the chord misses when NumLock is on.
        for extra in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
            root.grab_key(code, mask | extra, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
            self._grabbed.append((code, mask | extra))
        self._display.sync()
        if catch.get_error() is not None:
            self._grabbed = []
            self.hotkey_problem = f"another program already grabbed {'+'.join(self.hotkey)}"

    def close(self) -> None:
        if self._grabbed and self._display is not None:
            root = self._display.screen().root
            for code, mask in self._grabbed:
                root.ungrab_key(code, mask)
            self._display.sync()
        self._grabbed = []
