"""Fixtures for the desktop tests: a private Xvfb and the Tk test application.

The X server runs without a window manager: Tk windows take the keyboard focus when
clicked (X focus follows the pointer on a bare server), which is all the tests need.
``DISPLAY`` is never set in this process; the display name reaches the driver through
``DesktopConfig.display`` and child programs through their own environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from tests.environments.desktop.helpers import SCREEN, TkApp, start_tk_app, start_xvfb, stop


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A private Xvfb, 1280x800x24, on the first free display number from :97."""
    proc, display = start_xvfb(*SCREEN)
    try:
        yield display
    finally:
        stop(proc)


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
