"""Screenshots as small embedded JPEGs, so a report is one file of sane size."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

DEFAULT_MAX_WIDTH = 1024
DEFAULT_QUALITY = 70


def jpeg_data_url(
    image: Image.Image, *, max_width: int = DEFAULT_MAX_WIDTH, quality: int = DEFAULT_QUALITY
) -> str:
    """Downscale ``image`` to at most ``max_width`` pixels wide and encode it as a JPEG data URL."""
    img = image.convert("RGB")
    if img.width > max_width:
        height = max(1, round(img.height * max_width / img.width))
        img = img.resize((max_width, height), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class ShotCache:
    """Encodes each screenshot of a run once (runs often revisit the same screen)."""

    def __init__(
        self, shots_dir: Path, *, max_width: int = DEFAULT_MAX_WIDTH, quality: int = DEFAULT_QUALITY
    ):
        self.shots_dir = shots_dir
        self.max_width = max_width
        self.quality = quality
        self._urls: dict[str, tuple[str, tuple[int, int]]] = {}
        self.unreadable: list[str] = []
        """Screenshot files that exist but could not be decoded (a write cut short)."""

    def get(self, digest: str) -> tuple[str, tuple[int, int]] | None:
        """``(data_url, original_size)`` for a screenshot, or ``None`` when its file is gone."""
        if digest not in self._urls:
            path = self.shots_dir / f"{digest}.png"
            if not path.is_file():
                return None
            try:
                with Image.open(path) as img:
                    url = jpeg_data_url(img, max_width=self.max_width, quality=self.quality)
                    self._urls[digest] = (url, img.size)
            except (OSError, SyntaxError, ValueError):  # PIL's errors for a file cut short
                self.unreadable.append(path.name)
                return None
        return self._urls[digest]
