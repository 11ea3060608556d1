"""A fast lossless PNG writer for screenshots.

Pillow's PNG encoder tries all five row filters on every row and keeps the best, which
costs more than the compression itself at the fast zlib levels: a 1920x1088 screenshot
takes about twice as long as here. This writer applies one filter (``Sub``: each byte
minus the byte one pixel to its left, which turns the flat areas of user interfaces into
zeros) with numpy and compresses with ISA-L's deflate (``isal``: the same zlib stream,
made many times faster than zlib's level 1; zlib itself where ``isal`` is missing). The
output is a standard PNG: any decoder reads back exactly the pixels given. Modes without
an 8-bit PNG colour type of their own (palette, 1-bit, 16-bit) go through Pillow at the
same zlib level.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

try:
    from isal.isal_zlib import compress as _compress  # ISA-L: a zlib stream, far faster
except ImportError:  # pragma: no cover - isal is a dependency; a platform without its wheel
    from zlib import compress as _compress

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPES = {"L": 0, "RGB": 2, "LA": 4, "RGBA": 6}
"""8-bit modes written here, with their PNG colour type."""
LEVEL = 1
"""zlib level: screenshots are written often and read rarely."""


def encode_png(image: Image.Image) -> bytes:
    """``image`` as PNG bytes (lossless; see the module's note on speed)."""
    colour = _COLOUR_TYPES.get(image.mode)
    if colour is None or image.width == 0 or image.height == 0:
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=LEVEL)
        return buf.getvalue()
    width, height = image.size
    bands = len(image.mode)
    # the raw bytes: far cheaper than numpy's array protocol on a PIL image
    pixels = np.frombuffer(image.tobytes(), dtype=np.uint8).reshape(height, width * bands)
    rows = np.empty((height, width * bands + 1), dtype=np.uint8)
    rows[:, 0] = 1  # filter type Sub
    rows[:, 1 : bands + 1] = pixels[:, :bands]
    np.subtract(pixels[:, bands:], pixels[:, :-bands], out=rows[:, bands + 1 :])
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", _compress(rows.data, LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
