"""Screen capture with mss: monitor selection, offsets and the input scale."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from PIL import Image

from screenpilot.environments.desktop.scale import input_scale
from screenpilot.environments.geometry import ScreenGeometry, Size, monitor_geometry
from screenpilot.environments.settle import Sample, sample_raw
from screenpilot.tools.errors import ConfigError, EnvCrashed

if TYPE_CHECKING:
    from mss.screenshot import ScreenShot

NO_DISPLAY_HINT = " (start an X server or pass -E display=:N; `screenpilot doctor` checks the setup)"


def capture_geometry(monitor: Mapping[str, int], grabbed: tuple[int, int], scale: float) -> ScreenGeometry:
    """Geometry of a grab of ``monitor`` (an mss dict in input units) that came out ``grabbed`` big."""
    return monitor_geometry(
        physical_left=round(monitor["left"] * scale),
        physical_top=round(monitor["top"] * scale),
        physical_width=round(monitor["width"] * scale),
        physical_height=round(monitor["height"] * scale),
        scale_factor=scale,
        image_size=Size(width=grabbed[0], height=grabbed[1]),
    )


def to_image(shot: ScreenShot) -> Image.Image:
    """An mss grab as an RGB image (converted straight from the grab's own buffer)."""
    return Image.frombuffer("RGB", shot.size, shot.raw, "raw", "BGRX", 0, 1)


def sample_shot(shot: ScreenShot) -> Sample:
    """The settle wait's downscaled sample of an mss grab, straight from its BGRA buffer."""
    return sample_raw(shot.raw, shot.width, shot.height)


class Frame:
    """One grab of the monitor and how it maps to input coordinates; its RGB image is made
    on first use and once (the settle wait only samples the raw pixels)."""

    def __init__(self, shot: ScreenShot, geometry: ScreenGeometry) -> None:
        self.shot = shot
        self.geometry = geometry

    @cached_property
    def image(self) -> Image.Image:
        return to_image(self.shot)

    def sample(self) -> Sample:
        return sample_shot(self.shot)


class MssCapture:
    """Grabs one monitor (or the whole virtual desktop) as an RGB image with its geometry.

    mss monitor dicts are in input units on every platform (X11 pixels, macOS points,
    Windows pixels of a DPI-aware process), so they give the logical rectangle; the grab's
    size gives the physical one.

    Args:
        display: X11 display name (``None``: ``$DISPLAY``); ignored elsewhere.
        monitor: mss monitor index (0 = all monitors combined, 1 = the first).
        scale_override: Forced input scale, for setups detection gets wrong.
    """

    def __init__(self, display: str | None, monitor: int = 1, scale_override: float | None = None) -> None:
        import mss

        kwargs: dict[str, Any] = {}
        if sys.platform.startswith("linux") and display:
            kwargs["display"] = display
        try:
            self._mss = mss.MSS(**kwargs)
            monitors = self._mss.monitors
        except mss.exception.ScreenShotError as e:
            raise ConfigError(f"cannot open the display for capture: {e}{NO_DISPLAY_HINT}") from e
        if monitor >= len(monitors):
            raise ConfigError(
                f"monitor {monitor} does not exist; this desktop has monitors 1..{len(monitors) - 1} "
                "(0 = all of them)"
            )
        self._index = monitor
        self._override = scale_override
        self._error = mss.exception.ScreenShotError

    @property
    def monitors(self) -> list[dict[str, int]]:
        """mss's monitor list: index 0 is the bounding box of all, 1.. are the monitors."""
        return [dict(m) for m in self._mss.monitors]

    @property
    def monitor(self) -> dict[str, int]:
        return self.monitors[self._index]

    def grab(self) -> tuple[Image.Image, ScreenGeometry]:
        """One RGB frame of the selected monitor and how it maps to input coordinates.

        Raises:
            EnvCrashed: When the display cannot be read any more.
        """
        frame = self.grab_frame()
        return frame.image, frame.geometry

    def grab_frame(self) -> Frame:
        """One frame, converted to RGB only when its image is asked for."""
        mon = self.monitor
        shot = self._grab(mon)
        scale = input_scale(mon, shot.width, override=self._override)
        return Frame(shot, capture_geometry(mon, (shot.width, shot.height), scale))

    def grab_image(self) -> Image.Image:
        """Just the pixels."""
        return self.grab()[0]

    def _grab(self, monitor: dict[str, int]) -> ScreenShot:
        try:
            return self._mss.grab(monitor)
        except self._error as e:
            raise EnvCrashed(f"screen capture failed: {e}") from e

    def close(self) -> None:
        self._mss.close()
