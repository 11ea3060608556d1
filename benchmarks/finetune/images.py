"""Images of an export, stored once by content hash under ``images/``."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from screenpilot.environments.observation import encode_png, image_digest

IMAGES = "images"


class ImageStore:
    """Writes images as ``images/<sha256 of the pixels>.png`` under ``root``.

    Images arrive already at the size the model sees (resized by the policy's own pixel
    budget), so the coordinates of every answer refer to them as they are.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / IMAGES).mkdir(parents=True, exist_ok=True)
        self._written: set[str] = set()

    def put(self, image: Image.Image) -> str:
        """Store ``image`` (once per content) and return its path relative to ``root``."""
        rel = f"{IMAGES}/{image_digest(image)}.png"
        if rel not in self._written:
            path = self.root / rel
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(encode_png(image))
            os.replace(tmp, path)
            self._written.add(rel)
        return rel

    def prune(self, keep: set[str]) -> int:
        """Delete images under ``images/`` that no kept sample refers to (left by samples
        dropped later, or by an earlier export into the same directory)."""
        gone = 0
        for path in (self.root / IMAGES).glob("*.png"):
            if f"{IMAGES}/{path.name}" not in keep:
                path.unlink()
                gone += 1
        return gone
