"""Typing text pyautogui cannot type: non-ASCII through ``xdotool type`` or the clipboard.

pyautogui presses keys from a fixed US table, so it drops characters such as 中文, é or
emoji. The default on X11 is :mod:`screenpilot.environments.desktop.xtest_typing`; this module holds
the two alternatives. ``xdotool type`` maps each character onto a scratch keycode for the
moment it is typed, which a slow application can read too late (wrong or missing
characters under load); the clipboard route puts the text on the CLIPBOARD selection with ``xclip`` and
pastes it with ``ctrl+v`` (the application must support pasting). Both are X11 tools;
on Windows and macOS (untested) the clipboard route uses pyperclip, which pyautogui
installs, and the platform's paste chord.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

from screenpilot.tools.errors import ConfigError, DriverError, EnvTimeout


def is_plain_ascii(text: str) -> bool:
    """Whether pyautogui's key table covers every character (printable ASCII, newline, tab)."""
    return all(ch in "\n\t" or 32 <= ord(ch) < 127 for ch in text)


def run_tool(
    argv: list[str], *, env: Mapping[str, str], timeout_s: float, stdin: bytes | None = None
) -> None:
    """Run an X11 helper program with a time limit.

    Raises:
        ConfigError: When the program is not installed.
        EnvTimeout: When it runs past ``timeout_s``.
        DriverError: When it fails.
    """
    if shutil.which(argv[0]) is None:
        raise ConfigError(f"{argv[0]} is not installed; install it (apt-get install {argv[0]})")
    try:
        proc = subprocess.run(
            argv, input=stdin, env=dict(env), capture_output=True, timeout=max(timeout_s, 0.1), check=False
        )
    except subprocess.TimeoutExpired as e:
        raise EnvTimeout(f"{argv[0]} took longer than {timeout_s:.1f}s") from e
    if proc.returncode != 0:
        raise DriverError(f"{argv[0]} failed: {proc.stderr.decode(errors='replace').strip()}")


def xdotool_type(text: str, *, env: Mapping[str, str], delay_ms: int, timeout_s: float) -> None:
    """Type ``text`` with ``xdotool type`` on the display named in ``env``."""
    run_tool(
        ["xdotool", "type", "--clearmodifiers", "--delay", str(delay_ms), "--", text],
        env=env,
        timeout_s=timeout_s,
    )


def set_clipboard(text: str, *, env: Mapping[str, str], timeout_s: float) -> None:
    """Put ``text`` on the clipboard (``xclip`` on X11; pyperclip elsewhere, untested)."""
    if sys.platform.startswith("linux"):
        # xclip forks a child that owns the selection until another client takes it;
        # the parent exits once it has read stdin.
        if shutil.which("xclip") is None:
            raise ConfigError("xclip is not installed; install it (apt-get install xclip)")
        try:
            proc = subprocess.Popen(
                ["xclip", "-selection", "clipboard", "-in"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(env),
            )
            proc.communicate(text.encode("utf-8"), timeout=max(timeout_s, 0.1))
        except subprocess.TimeoutExpired as e:
            raise EnvTimeout("xclip did not take the clipboard in time") from e
        return
    import pyperclip  # untested: Windows and macOS

    pyperclip.copy(text)


def paste_chord() -> tuple[str, ...]:
    """The platform's paste shortcut in canonical key names."""
    return ("meta", "v") if sys.platform == "darwin" else ("ctrl", "v")


def type_unicode(
    text: str,
    *,
    method: str,
    env: Mapping[str, str],
    timeout_s: float,
    press_chord: Callable[[tuple[str, ...]], None],
    delay_ms: int = 12,
) -> None:
    """Type non-ASCII text with the configured method."""
    if method == "xdotool":
        xdotool_type(text, env=env, delay_ms=delay_ms, timeout_s=timeout_s)
        return
    set_clipboard(text, env=env, timeout_s=timeout_s)
    press_chord(paste_chord())
