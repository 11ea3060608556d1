"""Screenshots and display facts read from device command output."""

from __future__ import annotations

import io
import re
import struct

from PIL import Image, UnidentifiedImageError

from screenpilot.environments.encoded import remember_png
from screenpilot.environments.settle import Sample, sample_raw
from screenpilot.tools.errors import DriverError

_RAW_FORMATS = {1: "RGBA", 2: "RGBX", 5: "BGRA"}
_FOCUS = re.compile(r"mCurrentFocus=Window\{[^}]*?\s(?P<pkg>[\w.]+)/(?P<act>[\w.$]+)\}")
_ORIENTATION = re.compile(r"SurfaceOrientation:\s*(\d)")
_SIZE = re.compile(r"(Physical|Override) size:\s*(\d+)x(\d+)")
_DENSITY = re.compile(r"(Physical|Override) density:\s*(\d+)")


def decode_raw(data: bytes) -> Image.Image:
    """Decode ``screencap`` output without ``-p``: a 12- or 16-byte header, then pixels.

    The header holds width, height and pixel format (and, since Android 8, a colour space).
    """
    width, height, mode, header = _raw_layout(data)
    image = Image.frombuffer("RGBA", (width, height), data[header:], "raw", mode, 0, 1)
    return image.convert("RGB")


def sample_raw_screencap(data: bytes) -> Sample:
    """The settle wait's downscaled sample of raw ``screencap`` output (no full decode)."""
    width, height, _mode, header = _raw_layout(data)
    return sample_raw(data, width, height, offset=header)


def _raw_layout(data: bytes) -> tuple[int, int, str, int]:
    """Width, height, pixel mode and header length of raw ``screencap`` output."""
    if len(data) < 12:
        raise DriverError(f"screencap returned {len(data)} bytes, too few for a header")
    width, height, fmt = struct.unpack_from("<III", data)
    pixels = width * height * 4
    header = len(data) - pixels
    if header not in (12, 16) or fmt not in _RAW_FORMATS:
        raise DriverError(
            f"unexpected raw screencap layout ({width}x{height}, format {fmt}, {len(data)} bytes)"
        )
    return width, height, _RAW_FORMATS[fmt], header


def decode_png(data: bytes) -> Image.Image:
    """Decode ``screencap -p`` output."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as e:
        raise DriverError(f"screencap -p did not return a PNG ({len(data)} bytes)") from e
    if image.mode != "RGB":
        return image.convert("RGB")  # screencap's RGBA: the alpha channel goes
    remember_png(image, data)  # already RGB: the device's bytes are the encoding
    return image


def parse_focus(text: str) -> tuple[str | None, str | None]:
    """Package and activity of the focused window from ``dumpsys window``."""
    m = _FOCUS.search(text)
    return (m.group("pkg"), m.group("act")) if m else (None, None)


def parse_rotation(text: str) -> int | None:
    """Display rotation (0-3, quarter turns) from ``dumpsys input``."""
    m = _ORIENTATION.search(text)
    return int(m.group(1)) if m else None


def parse_size(text: str) -> tuple[int, int] | None:
    """Portrait size from ``wm size``; an override wins over the physical size."""
    found = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in _SIZE.finditer(text)}
    return found.get("Override") or found.get("Physical")


def parse_density(text: str) -> int | None:
    """Density in dpi from ``wm density``; an override wins."""
    found = {m.group(1): int(m.group(2)) for m in _DENSITY.finditer(text)}
    return found.get("Override") or found.get("Physical")
