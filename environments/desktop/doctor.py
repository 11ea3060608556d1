"""Health checks behind ``screenpilot doctor``: display, capture, input, scale, calibration.

Each check returns a :class:`Check` saying what it found and, when something is wrong,
how to fix it. The CLI prints them; tests call :func:`run_checks` directly.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.desktop.config import DesktopConfig
from screenpilot.tools.errors import ScreenpilotError

Level = Literal["ok", "warn", "fail"]


class Check(BaseModel):
    """One finding.

    Attributes:
        name: What was checked.
        level: ``ok``, ``warn`` (works, with a caveat) or ``fail``.
        detail: What was found.
        fix: How to fix it (empty when nothing is wrong).
    """

    model_config = ConfigDict(frozen=True)

    name: str
    level: Level
    detail: str
    fix: str = ""


def run_checks(config: DesktopConfig, *, calibrate: bool = True) -> list[Check]:
    """Run every check in order; later checks are skipped when the display is unusable."""
    checks = [_check_tools()]
    display = _check_display(config)
    checks.append(display)
    if display.level == "fail":
        return checks
    from screenpilot.environments.desktop.env import DesktopEnvironment

    try:
        env = DesktopEnvironment(config)
    except ScreenpilotError as e:
        return [*checks, Check(name="driver", level="fail", detail=f"{type(e).__name__}: {e}", fix=_X_FIX)]
    try:
        for check in (_check_capture, _check_input, _check_scale, _check_hotkey, _check_settle):
            checks.append(_guarded(check.__name__[7:], lambda c=check: c(env)))  # type: ignore[misc]
        if calibrate:
            checks.append(_guarded("calibration", lambda: _check_calibration(env)))
    finally:
        env.close()
    return checks


_X_FIX = (
    "start an X server and point DISPLAY at it, e.g. `Xvfb :99 -screen 0 1920x1080x24 & "
    "export DISPLAY=:99`, or pass -E display=:99"
)


def _guarded(name: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except ScreenpilotError as e:
        return Check(name=name, level="fail", detail=f"{type(e).__name__}: {e}", fix="see the message above")


def _check_tools() -> Check:
    if not sys.platform.startswith("linux"):
        return Check(name="tools", level="ok", detail="X11 helper tools are not used on this platform")
    missing = [t for t in ("xdotool", "xclip") if shutil.which(t) is None]
    if missing:
        return Check(
            name="tools",
            level="warn",
            detail=f"missing {', '.join(missing)}: non-ASCII typing will fail",
            fix=f"apt-get install {' '.join(missing)}",
        )
    return Check(name="tools", level="ok", detail="xdotool and xclip found")


def _check_display(config: DesktopConfig) -> Check:
    if not sys.platform.startswith("linux"):
        return Check(name="display", level="ok", detail=f"{sys.platform}: the desktop session is used")
    from Xlib.display import Display
    from Xlib.error import DisplayError

    try:
        d = Display(config.display)
    except DisplayError as e:
        return Check(name="display", level="fail", detail=f"cannot open display: {e}", fix=_X_FIX)
    name = d.get_display_name()
    has_xtest = d.has_extension("XTEST")
    d.close()
    if not has_xtest:
        return Check(
            name="display",
            level="fail",
            detail=f"{name} lacks the XTEST extension: input cannot be synthesised",
            fix="start the X server with XTEST enabled (Xvfb has it unless started with -extension XTEST)",
        )
    return Check(name="display", level="ok", detail=f"{name} is reachable and has XTEST")


def _check_capture(env: object) -> Check:
    from screenpilot.environments.desktop.env import DesktopEnvironment

    assert isinstance(env, DesktopEnvironment)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        _, geometry = env.capture.grab()
        times.append(time.perf_counter() - t0)
    monitors = env.capture.monitors
    return Check(
        name="capture",
        level="ok",
        detail=f"monitor {env.config.monitor} of {len(monitors) - 1}: {geometry.image_size} px at offset "
        f"({geometry.offset_x:g}, {geometry.offset_y:g}); grab {sorted(times)[1] * 1000:.1f} ms",
    )


def _check_input(env: object) -> Check:
    from screenpilot.environments.desktop.env import DesktopEnvironment

    assert isinstance(env, DesktopEnvironment)
    from screenpilot.environments.geometry import to_screen
    from screenpilot.tools.points import CoordSpace, Point

    g = env.capture.grab()[1]
    target = to_screen(Point(x=333, y=333, space=CoordSpace.REL1000), g)
    env.io.move(target)
    got = env.io.position()
    if got != target:
        return Check(
            name="input",
            level="fail",
            detail=f"moved the pointer to {target} but it is at {got}",
            fix="another program may be moving the pointer, or the input space differs from the capture "
            "(try -E scale_factor=...)",
        )
    return Check(name="input", level="ok", detail=f"pointer moved to {target} and read back")


def _check_scale(env: object) -> Check:
    from screenpilot.environments.desktop.env import DesktopEnvironment
    from screenpilot.environments.desktop.scale import x11_resources, x11_ui_scale

    assert isinstance(env, DesktopEnvironment)
    g = env.capture.grab()[1]
    detail = f"{g.scale_factor:g} captured px per input unit ({g.image_size} image, {g.logical_size} logical)"
    if env.windows is not None:
        ui = x11_ui_scale(x11_resources(env.windows.display))
        detail += f"; desktop UI scale {ui:g} (Xft.dpi), which does not move clicks on X11"
    return Check(name="scale", level="ok", detail=detail)


def _check_hotkey(env: object) -> Check:
    from screenpilot.environments.desktop.env import DesktopEnvironment

    assert isinstance(env, DesktopEnvironment)
    if not env.config.abort_hotkey:
        return Check(
            name="hotkey",
            level="warn",
            detail="no abort hotkey configured",
            fix="-E abort_hotkey=ctrl+alt+shift+q",
        )
    if not env.abort.hotkey_active:
        return Check(
            name="hotkey",
            level="warn",
            detail=f"abort hotkey inactive: {env.abort.hotkey_problem}",
            fix="choose another chord with -E abort_hotkey=..., or rely on --abort-file and the fail-safe "
            "corner",
        )
    return Check(
        name="hotkey", level="ok", detail=f"abort hotkey {'+'.join(env.config.abort_hotkey)} grabbed"
    )


def _check_settle(env: object) -> Check:
    from screenpilot.environments.desktop.env import DesktopEnvironment

    assert isinstance(env, DesktopEnvironment)
    sampling = "every settle wait samples the screen (about 40 ms a step)"
    if not env.config.settle_events:
        return Check(name="settle", level="ok", detail=f"settle_events is off: {sampling}")
    if env.events is None:
        return Check(
            name="settle",
            level="warn",
            detail=f"the X server has no DAMAGE extension: {sampling}",
            fix="use an X server with DAMAGE (Xorg, Xvfb and Xwayland have it)",
        )
    if env.events.watch.compositing():
        return Check(
            name="settle",
            level="warn",
            detail=f"a compositing manager runs: {sampling}",
            fix="turn compositing off in the window manager for faster still steps",
        )
    return Check(
        name="settle",
        level="ok",
        detail="X events prove a still screen after input to prompt applications; the rest is sampled",
    )


def _check_calibration(env: object) -> Check:
    from screenpilot.environments.desktop.calibration import run_calibration
    from screenpilot.environments.desktop.env import DesktopEnvironment

    assert isinstance(env, DesktopEnvironment)
    report = run_calibration(env)
    lines = [
        f"{m.expected} -> {m.landed} (error {m.error_px if m.error_px is None else round(m.error_px, 1)} px"
        f"{'' if m.seen_in_capture else ', marker not seen in capture'})"
        for m in report.markers
    ]
    if report.ok:
        return Check(name="calibration", level="ok", detail=f"{len(lines)} markers hit: " + "; ".join(lines))
    return Check(
        name="calibration",
        level="fail",
        detail="; ".join(lines),
        fix="clicks land away from what the screenshot shows: check the scale factor (-E scale_factor=...) "
        "and the monitor (-E monitor=N); on HiDPI desktops compare the capture size with the logical size",
    )
