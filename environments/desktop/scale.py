"""Scale factors per platform: captured pixels per input unit, and the desktop's UI scale.

Two numbers are easy to confuse:

* the *input scale* is how many captured (physical) pixels one unit of pointer input
  covers. It is what coordinate mapping needs and what every observation records as
  ``geometry.scale_factor``;
* the *UI scale* is how large the desktop draws its widgets (Xft.dpi / 96 on X11, the
  display scaling percentage on Windows). It changes what a screenshot looks like, not
  where a click lands, and ``screenpilot doctor`` reports it.

X11 (tested here): XGetImage and XTest both work in physical pixels, so the input scale
is 1 whatever Xft.dpi says. macOS (untested, no Mac here): mss reports monitors in points
and grabs Retina pixels, while pyautogui moves in points, so the input scale is the
grabbed width over the monitor's width in points (2 on Retina). Windows (untested, no
Windows here): mss and pyautogui both make the process DPI-aware, so input is in physical
pixels and the input scale is 1; a process that is not DPI-aware gets virtualised
coordinates and the monitor's DPI / 96 is used instead.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

_BASE_DPI = 96.0


def input_scale(
    monitor: Mapping[str, int],
    grabbed_width: int,
    *,
    platform: str = sys.platform,
    override: float | None = None,
) -> float:
    """Captured pixels per input unit for ``monitor`` (an mss monitor dict)."""
    if override is not None:
        return override
    if platform == "darwin":  # untested: Retina grabs are larger than the monitor in points
        return grabbed_width / monitor["width"]
    if platform == "win32":  # untested
        return 1.0 if _windows_dpi_aware() else _windows_monitor_dpi(monitor) / _BASE_DPI
    return 1.0


def parse_xft_dpi(resources: str | None) -> float | None:
    """The ``Xft.dpi`` value in an X resource string (the root's RESOURCE_MANAGER)."""
    for line in (resources or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == "Xft.dpi":
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


def x11_ui_scale(resources: str | None) -> float:
    """UI scale of an X11 desktop from its resources (1.0 when Xft.dpi is not set)."""
    dpi = parse_xft_dpi(resources)
    return dpi / _BASE_DPI if dpi else 1.0


def x11_resources(display: object) -> str | None:
    """The RESOURCE_MANAGER string of an Xlib display's root window, if set."""
    screen = display.screen()  # type: ignore[attr-defined]
    atom = display.intern_atom("RESOURCE_MANAGER")  # type: ignore[attr-defined]
    prop = screen.root.get_full_property(atom, 0)
    if prop is None:
        return None
    value = prop.value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _windows_dpi_aware() -> bool:  # pragma: no cover - Windows only, untested here
    import ctypes

    return bool(ctypes.windll.user32.IsProcessDPIAware())  # type: ignore[attr-defined]


def _windows_monitor_dpi(monitor: Mapping[str, int]) -> float:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    point = wintypes.POINT(monitor["left"] + 1, monitor["top"] + 1)
    handle = user32.MonitorFromPoint(point, 2)  # MONITOR_DEFAULTTONEAREST
    dpi_x, dpi_y = ctypes.c_uint(), ctypes.c_uint()
    ctypes.windll.shcore.GetDpiForMonitor(handle, 0, ctypes.byref(dpi_x), ctypes.byref(dpi_y))  # type: ignore[attr-defined]
    return float(dpi_x.value or _BASE_DPI)
