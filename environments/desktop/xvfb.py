"""A private X server (Xvfb), so the desktop driver can run without the user's display.

Several runs on one machine may race for a display number: the loser's Xvfb exits and the
next free number is tried. A server counts as started once its lock file names its own
process and its socket exists.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from screenpilot.tools.errors import ConfigError, EnvCrashed

# Where X servers put their sockets and lock files: fixed by X11, not temp files of ours.
_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108
_LOCKS = Path("/tmp")  # noqa: S108
_START_TIMEOUT_S = 10.0


class PrivateDisplay:
    """A running Xvfb owned by this process.

    Args:
        process: The Xvfb process.
        name: Its display name (``:97``).
    """

    def __init__(self, process: subprocess.Popen[bytes], name: str) -> None:
        self.process = process
        self.name = name

    @classmethod
    def start(cls, width: int = 1280, height: int = 800, first: int = 97) -> PrivateDisplay:
        """Start Xvfb (``width`` x ``height`` x 24) on the first free display from ``first``.

        Raises:
            ConfigError: When Xvfb is not installed.
            EnvCrashed: When no display number from ``first`` on could be claimed.
        """
        for n in range(first, first + 200):
            if (_SOCKETS / f"X{n}").exists() or (_LOCKS / f".X{n}-lock").exists():
                continue
            try:
                proc = subprocess.Popen(
                    ["Xvfb", f":{n}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except FileNotFoundError:
                raise ConfigError("Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb)") from None
            if _claimed(proc, n):
                return cls(proc, f":{n}")
            _end(proc)
        raise EnvCrashed(f"could not start Xvfb on any display from :{first}")

    def stop(self) -> None:
        """End the server. Safe to call twice."""
        _end(self.process)


def _claimed(proc: subprocess.Popen[bytes], n: int) -> bool:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        if _lock_owner(n) == proc.pid and (_SOCKETS / f"X{n}").exists():
            time.sleep(0.1)  # the socket exists a moment before the server accepts on it
            return True
        time.sleep(0.05)
    return False


def _lock_owner(n: int) -> int | None:
    try:
        return int((_LOCKS / f".X{n}-lock").read_text().strip())
    except (OSError, ValueError):
        return None


def _end(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
