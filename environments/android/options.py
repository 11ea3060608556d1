"""Options of the Android environment."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AndroidOptions(BaseModel):
    """How to reach the device and how to observe it.

    Attributes:
        serial: Device serial; omitted means the only attached device (or ``connect``).
        host: Host of the adb server.
        port: Port of the adb server.
        connect: ``HOST:PORT`` of a device to ``adb connect`` to (adb over TCP/Wi-Fi); it
            becomes the serial unless ``serial`` is given. Re-connected after a drop.
        screenshot: ``raw`` (``screencap`` pixels, no PNG encode on the device: fast over
            USB and on emulators) or ``png`` (``screencap -p``: about 10x fewer bytes, better
            over slow Wi-Fi links).
        elements: Whether observations carry the ``uiautomator dump`` hierarchy.
        text_input: ``auto`` (``input text`` for ASCII, ADB Keyboard or the clipboard for the
            rest), or force ``adb_keyboard`` / ``clipboard`` for all text.
        command_timeout_s: Limit of one adb command (the agent may set it per action).
        reconnect_timeout_s: How long to wait for a dropped device to come back.
        settle_frames: Equal consecutive screenshots that count as "settled" (0 disables).
        start_server: Start the local adb server (``adb start-server``) when none answers.
        dump_path: Device file ``uiautomator dump`` writes to.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    serial: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=5037, ge=1, le=65535)
    connect: str | None = Field(default=None, pattern=r"^[^\s:]+:\d{1,5}$")
    screenshot: Literal["raw", "png"] = "raw"
    elements: bool = True
    text_input: Literal["auto", "adb_keyboard", "clipboard"] = "auto"
    command_timeout_s: float = Field(default=30.0, gt=0.0, le=600.0)
    reconnect_timeout_s: float = Field(default=15.0, ge=0.0, le=600.0)
    settle_frames: int = Field(default=2, ge=0, le=10)
    start_server: bool = False
    dump_path: str = Field(default="/data/local/tmp/screenpilot_window.xml", pattern=r"^/[\w./-]+$")
