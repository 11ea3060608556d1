"""Options of the desktop environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.keys import Key

UnicodeTyping = Literal["auto", "xtest", "clipboard", "xdotool"]


class DesktopConfig(BaseModel):
    """Everything the desktop driver reads; nothing is taken from module globals.

    Attributes:
        display: X11 display name (``":0"``). ``None`` lets Xlib and mss use ``$DISPLAY``;
            ignored on Windows and macOS.
        monitor: mss monitor index: 1 is the first monitor, 0 the whole virtual desktop.
        failsafe: pyautogui's fail-safe: moving the mouse into a screen corner aborts the run.
        pause_s: pyautogui's ``PAUSE`` after each of its calls. None is needed by default:
            pyautogui makes a round trip to the X server after every event it sends, and the
            settle wait lets applications react; raise it for an application that drops
            input sent back to back.
        move_duration_s: Time a pointer move takes (0 jumps).
        drag_duration_s: Time each drag segment takes; widgets such as sliders need motion.
        type_interval_s: Delay between typed characters.
        unicode_typing: How text pyautogui cannot type (non-ASCII) is entered: ``xtest``
            (spare keycodes mapped to the characters, X11), ``clipboard`` (``xclip`` then
            ``ctrl+v``; replaces the clipboard), ``xdotool`` (``xdotool type``; can drop or
            swap characters when the application is slow) or ``auto`` (``xtest`` on X11,
            ``clipboard`` elsewhere).
        abort_file: The run aborts when this file exists (checked before every action).
        abort_hotkey: A global chord that aborts the run (grabbed on X11, checked before every
            action); ``()`` disables it.
        scale_factor: Override of captured pixels per input unit (normally detected).
        settle_first_interval_s: Time between the frame grabbed right after an action and
            the next one: a screen still after it counts as settled. 35 ms tells a still
            screen from an animation of 30 frames a second or faster.
        settle_events: Whether X events may prove the screen still right after an input
            (nothing drawn since it, and the clients that got it answered two pings; see
            :mod:`.event_settle`), before any frame is compared. Off, every settle wait
            samples the screen.
        settle_interval_s: Time between frames once the screen was seen changing.
        settle_frames: Equal consecutive frames that count as settled.
        start_app: Application opened by ``reset()`` (command or desktop-entry name).
        launch_wait_s: How long ``open_app`` waits for a new window to appear.
        app_dirs: Directories searched for ``.desktop`` entries (``applications/`` under the
            XDG data dirs when ``None``).
        window_info: Whether observations carry the active window's title and class.
        close_launched: Whether ``close()`` ends the programs ``open_app`` started.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    display: str | None = None
    monitor: int = Field(default=1, ge=0)
    failsafe: bool = True
    pause_s: float = Field(default=0.0, ge=0.0, le=5.0)
    move_duration_s: float = Field(default=0.0, ge=0.0, le=5.0)
    drag_duration_s: float = Field(default=0.25, ge=0.0, le=10.0)
    type_interval_s: float = Field(default=0.0, ge=0.0, le=1.0)
    unicode_typing: UnicodeTyping = "auto"
    abort_file: Path | None = None
    abort_hotkey: tuple[Key, ...] = ("ctrl", "alt", "shift", "q")
    scale_factor: float | None = Field(default=None, gt=0.0)
    settle_first_interval_s: float = Field(default=0.035, gt=0.0)
    settle_interval_s: float = Field(default=0.05, gt=0.0)
    settle_events: bool = True
    settle_frames: int = Field(default=2, ge=2)
    start_app: str | None = None
    launch_wait_s: float = Field(default=5.0, ge=0.0)
    app_dirs: tuple[Path, ...] | None = None
    window_info: bool = True
    close_launched: bool = True
