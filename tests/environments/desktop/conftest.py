"""Fixtures for the desktop tests: a private Xvfb and the Tk test application.

The X server runs without a window manager: Tk windows take the keyboard focus when
clicked (X focus follows the pointer on a bare server), which is all the tests need.
``DISPLAY`` is never set in this process; the display name reaches the driver through
``DesktopConfig.display`` and child programs through their own environment.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from environments.desktop import DesktopConfig, DesktopEnvironment
from tests.environments.desktop.helpers import SCREEN, TkApp, start_tk_app, stop


def _free_display(start: int = 97) -> int:
    for n in range(start, start + 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A private Xvfb, 1280x800x24; retries the next number if another one races us."""
    for _ in range(10):
        n = _free_display()
        proc = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            time.sleep(0.05)
        if proc.poll() is None:
            time.sleep(0.2)
            try:
                yield f":{n}"
            finally:
                proc.terminate()
                proc.wait(timeout=5)
            return
    raise RuntimeError("could not start Xvfb")


@pytest.fixture(scope="session")
def child_env(xvfb: str) -> dict[str, str]:
    """Environment for programs started on the private display."""
    return {**os.environ, "DISPLAY": xvfb}


@pytest.fixture
def tk_app(child_env: dict[str, str], tmp_path: Path) -> Iterator[TkApp]:
    app = start_tk_app(child_env, tmp_path)
    yield app
    stop(app.proc)


@pytest.fixture(scope="module")
def desktop(xvfb: str) -> Iterator[DesktopEnvironment]:
    """A desktop environment on the private display (no abort hotkey: tests grab their own)."""
    env = DesktopEnvironment(DesktopConfig(display=xvfb, pause_s=0.0, abort_hotkey=()))
    yield env
    env.close()
