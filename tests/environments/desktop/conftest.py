"""Fixtures for the desktop tests: a private Xvfb and the Tk test application.

The X server runs without a window manager: Tk windows take the keyboard focus when
clicked (X focus follows the pointer on a bare server), which is all the tests need.
``DISPLAY`` is never set in this process; the display name reaches the driver through
``DesktopConfig.display`` and child programs through their own environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from environments.desktop import DesktopConfig, DesktopEnvironment
from tools.points import CoordSpace, Point

TK_APP = Path(__file__).with_name("tk_app.py")
SCREEN = (1280, 800)


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


@dataclass
class TkApp:
    """A running Tk test app and its ground-truth state file."""

    proc: subprocess.Popen[bytes]
    state_path: Path
    extra: list[str] = field(default_factory=list)

    def state(self) -> dict[str, Any]:
        return json.loads(self.state_path.read_text(encoding="utf-8"))

    def wait(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0) -> dict[str, Any]:
        """Poll the state until ``predicate`` holds; fail with the last state otherwise."""
        end = time.monotonic() + timeout
        state: dict[str, Any] = {}
        while time.monotonic() < end:
            if self.state_path.exists():
                try:
                    state = self.state()
                except json.JSONDecodeError:
                    state = {}
                if state and predicate(state):
                    return state
            time.sleep(0.03)
        raise AssertionError(f"state never matched; last state: {state}")

    def center(self, name: str) -> Point:
        """Screen centre of a widget, from the app's own report."""
        b = self.state()["boxes"][name]
        return Point(x=b["x"] + b["w"] / 2, y=b["y"] + b["h"] / 2, space=CoordSpace.SCREEN)


def start_tk_app(child_env: dict[str, str], tmp_path: Path, *args: str) -> TkApp:
    state = tmp_path / f"state-{time.monotonic_ns()}.json"
    proc = subprocess.Popen(
        [sys.executable, str(TK_APP), "--state", str(state), *args],
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    app = TkApp(proc=proc, state_path=state)
    app.wait(lambda s: s["boxes"]["name"]["w"] > 1, timeout=10)
    return app


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=5)


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
