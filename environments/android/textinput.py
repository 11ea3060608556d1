"""Typing text on Android.

``input text`` injects key events through the virtual keyboard's key map, so it can only
type ASCII, and its argument passes through the device shell: every piece is quoted for
``sh``, spaces become ``%s`` (older ``input`` splits on spaces), and because ``input``
turns every ``%s`` into a space, a literal ``%s`` is typed in two pieces. Newlines and tabs
are key events. Everything else needs an input method that accepts text directly (ADB
Keyboard's ``ADB_INPUT_B64`` broadcast) or the clipboard (Clipper's ``clipper.set``
broadcast, then paste).
"""

from __future__ import annotations

import base64
import shlex

ADB_KEYBOARD_IME = "com.android.adbkeyboard/.AdbIME"
CLIPPER_PACKAGE = "ca.zgrs.clipper"
_KEY_CHARS = {"\n": 66, "\t": 61}  # ENTER, TAB


def is_typable_ascii(text: str) -> bool:
    """Whether ``input text`` (plus Enter/Tab key events) can type all of ``text``."""
    return all(32 <= ord(c) < 127 or c in _KEY_CHARS for c in text)


def _quote_piece(piece: str) -> str:
    return shlex.quote(piece.replace(" ", "%s"))


def input_text_commands(text: str) -> list[str]:
    """Shell commands that type ASCII ``text`` exactly."""
    commands: list[str] = []
    run: list[str] = []

    def flush() -> None:
        chunk = "".join(run)
        run.clear()
        # a literal "%s" must not reach `input text` in one piece: split between % and s
        for piece in chunk.replace("%s", "%\0s").split("\0"):
            if piece:
                commands.append("input text " + _quote_piece(piece))

    for c in text:
        if c in _KEY_CHARS:
            flush()
            commands.append(f"input keyevent {_KEY_CHARS[c]}")
        else:
            run.append(c)
    flush()
    return commands


def adb_keyboard_command(text: str) -> str:
    """The broadcast ADB Keyboard types from (base64 survives every shell and locale)."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"am broadcast -a ADB_INPUT_B64 --es msg {payload}"


def clipboard_commands(text: str) -> list[str]:
    """Set the clipboard through Clipper, then paste (KEYCODE_PASTE)."""
    return [f"am broadcast -a clipper.set -e text {shlex.quote(text)}", "input keyevent 279"]
