"""Calibration: click markers at known positions through the full mapping and check they land.

The markers are located the way a model would see them: their positions are converted
into the relative 0-1000 space of the observation's screenshot, clicked from there, and
the calibration window reports where each click arrived. Each marker's colour is also
checked in the screenshot at the mapped image position, so capture and input mapping are
verified together.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import convert, to_image
from screenpilot.tools.actions import Click
from screenpilot.tools.errors import DriverError, EnvTimeout
from screenpilot.tools.points import CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.environments.desktop.env import DesktopEnvironment

_FRACTIONS = ((0.1, 0.1), (0.9, 0.1), (0.5, 0.5), (0.1, 0.9), (0.9, 0.9))


class MarkerResult(BaseModel):
    """One marker: where it was, where the click landed, whether the capture showed it."""

    model_config = ConfigDict(frozen=True)

    expected: tuple[int, int]
    landed: tuple[int, int] | None
    error_px: float | None
    seen_in_capture: bool


class CalibrationReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    markers: tuple[MarkerResult, ...]
    tolerance_px: float

    @property
    def ok(self) -> bool:
        return all(
            m.error_px is not None and m.error_px <= self.tolerance_px and m.seen_in_capture
            for m in self.markers
        )


def run_calibration(
    env: DesktopEnvironment, *, tolerance_px: float = 2.0, timeout_s: float = 15.0
) -> CalibrationReport:
    """Open the calibration window on the environment's monitor and click every marker.

    Raises:
        EnvTimeout: When the window does not appear or clicks are not reported in time.
        DriverError: When the calibration window cannot be started.
    """
    geometry = env.observe().geometry
    rect = (
        f"{geometry.logical_size.width}x{geometry.logical_size.height}"
        f"+{round(geometry.offset_x)}+{round(geometry.offset_y)}"
    )
    with tempfile.TemporaryDirectory(prefix="screenpilot-calib-") as tmp:
        ready, clicks = Path(tmp) / "ready.json", Path(tmp) / "clicks.jsonl"
        argv = [
            sys.executable,
            str(Path(__file__).with_name("calibration_app.py")),
            f"--rect={rect}",
            "--markers=" + ";".join(f"{x},{y}" for x, y in _FRACTIONS),
            f"--ready={ready}",
            f"--clicks={clicks}",
        ]
        proc = subprocess.Popen(argv, env=env.child_environment, stderr=subprocess.PIPE)
        try:
            markers = _wait_ready(proc, ready, timeout_s)
            return _click_markers(env, markers, clicks, tolerance_px, timeout_s)
        finally:
            proc.terminate()
            proc.wait(timeout=5)


def _wait_ready(proc: subprocess.Popen[bytes], ready: Path, timeout_s: float) -> list[tuple[int, int]]:
    end = time.monotonic() + timeout_s
    while not ready.exists():
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise DriverError(f"the calibration window could not start: {err.strip()[-400:]}")
        if time.monotonic() > end:
            raise EnvTimeout("the calibration window did not appear")
        time.sleep(0.05)
    data = json.loads(ready.read_text(encoding="utf-8"))
    return [(int(m["x"]), int(m["y"])) for m in data["markers"]]


def _click_markers(
    env: DesktopEnvironment,
    markers: list[tuple[int, int]],
    clicks: Path,
    tolerance_px: float,
    timeout_s: float,
) -> CalibrationReport:
    env.settle(1.0)
    obs = env.observe()
    results = []
    for i, (x, y) in enumerate(markers):
        screen = Point(x=x, y=y, space=CoordSpace.SCREEN)
        ix, iy = to_image(screen, obs.geometry)
        r, g, b = obs.screenshot.getpixel((ix, iy))  # type: ignore[misc]
        seen = r > 200 and g < 80 and b < 80
        rel = convert(screen, CoordSpace.REL1000, obs.geometry)
        env.execute(Click(at=rel))
        landed = _wait_click(clicks, i, timeout_s)
        error = ((landed[0] - x) ** 2 + (landed[1] - y) ** 2) ** 0.5 if landed else None
        results.append(MarkerResult(expected=(x, y), landed=landed, error_px=error, seen_in_capture=seen))
    return CalibrationReport(markers=tuple(results), tolerance_px=tolerance_px)


def _wait_click(clicks: Path, index: int, timeout_s: float) -> tuple[int, int] | None:
    end = time.monotonic() + min(timeout_s, 3.0)
    while time.monotonic() < end:
        if clicks.exists():
            lines = clicks.read_text(encoding="utf-8").splitlines()
            if len(lines) > index:
                data = json.loads(lines[index])
                return int(data["x"]), int(data["y"])
        time.sleep(0.02)
    return None
