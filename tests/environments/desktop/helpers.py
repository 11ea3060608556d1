"""Helpers for the desktop tests: the Tk test application and its ground-truth state."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screenpilot.environments.desktop.xvfb import PrivateDisplay
from screenpilot.tools.points import CoordSpace, Point

TK_APP = Path(__file__).with_name("tk_app.py")
SCREEN = (1280, 800)


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


def start_xvfb(width: int, height: int, first: int = 97) -> tuple[subprocess.Popen[bytes], str]:
    """Start a private Xvfb on a free display number (see :class:`PrivateDisplay`)."""
    display = PrivateDisplay.start(width, height, first)
    return display.process, display.name
