"""Read grounding samples in the ScreenSpot, ScreenSpot-v2 and ScreenSpot-Pro layouts.

Layouts (the directory the user supplies):

* ScreenSpot: ``screenspot_{desktop,mobile,web}.json`` and images in ``screenspot_imgs/``;
* ScreenSpot-v2: ``screenspot_{desktop,mobile,web}_v2.json`` and ``screenspotv2_image/``;
  in both, each item has ``img_filename``, ``bbox`` as ``[x, y, width, height]`` in image
  pixels, ``instruction``, ``data_type`` (``text`` / ``icon``) and ``data_source``; the
  platform is the file's;
* ScreenSpot-Pro: ``annotations/*.json`` and ``images/``; each item has
  ``img_filename``, ``bbox`` as ``[x1, y1, x2, y2]``, ``instruction``, ``ui_type``,
  ``platform``, ``application`` (and ``img_size``, ``instruction_cn``, ``group``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import ConfigError

Layout = Literal["screenspot", "v2", "pro"]
_PLATFORMS = ("desktop", "mobile", "web")


class GroundingSample(BaseModel):
    """One target on one screenshot.

    Attributes:
        sample_id: ``file:index``, unique within the data set.
        image: Path of the screenshot.
        instruction: What to find.
        box: ``(x0, y0, x1, y1)`` in image pixels.
        platform: desktop / mobile / web (ScreenSpot-Pro: its own platform names).
        ui_type: ``text`` or ``icon``.
        source: ``data_source`` (ScreenSpot) or ``application`` (Pro).
        scale_factor: Image pixels per logical pixel, when the layout records it (our
            generator does); 1 otherwise.
    """

    model_config = ConfigDict(frozen=True)

    sample_id: str
    image: Path
    instruction: str
    box: tuple[float, float, float, float]
    platform: str
    ui_type: str
    source: str = ""
    scale_factor: float = 1.0


def detect_layout(root: Path) -> Layout:
    """Which layout ``root`` holds.

    Raises:
        ConfigError: When it holds none of them.
    """
    if (root / "annotations").is_dir():
        return "pro"
    if any((root / f"screenspot_{p}_v2.json").is_file() for p in _PLATFORMS):
        return "v2"
    if any((root / f"screenspot_{p}.json").is_file() for p in _PLATFORMS):
        return "screenspot"
    raise ConfigError(
        f"{root} holds no ScreenSpot layout (screenspot_<platform>.json, screenspot_<platform>_v2.json, "
        "or annotations/ and images/)"
    )


def _read(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a JSON list of samples")
    return data


def _screenspot(root: Path, v2: bool, images: Path | None) -> list[GroundingSample]:
    image_dir = images or root / ("screenspotv2_image" if v2 else "screenspot_imgs")
    out = []
    for platform in _PLATFORMS:
        path = root / f"screenspot_{platform}{'_v2' if v2 else ''}.json"
        if not path.is_file():
            continue
        for i, item in enumerate(_read(path)):
            x, y, w, h = (float(v) for v in item["bbox"])
            out.append(
                GroundingSample(
                    sample_id=f"{path.stem}:{i}",
                    image=image_dir / item["img_filename"],
                    instruction=item["instruction"],
                    box=(x, y, x + w, y + h),
                    platform=str(item.get("platform", platform)),
                    ui_type=str(item.get("data_type", "")),
                    source=str(item.get("data_source", "")),
                    scale_factor=float(item.get("scale_factor", 1.0)),
                )
            )
    return out


def _pro(root: Path, images: Path | None) -> list[GroundingSample]:
    image_dir = images or root / "images"
    out = []
    for path in sorted((root / "annotations").glob("*.json")):
        for i, item in enumerate(_read(path)):
            x0, y0, x1, y1 = (float(v) for v in item["bbox"])
            out.append(
                GroundingSample(
                    sample_id=f"{path.stem}:{i}",
                    image=image_dir / item["img_filename"],
                    instruction=item["instruction"],
                    box=(x0, y0, x1, y1),
                    platform=str(item.get("platform", "")),
                    ui_type=str(item.get("ui_type", "")),
                    source=str(item.get("application", "")),
                )
            )
    return out


def load_samples(
    root: Path, layout: Layout | None = None, images: Path | None = None
) -> list[GroundingSample]:
    """Every sample under ``root``.

    Args:
        root: The data set's directory.
        layout: Force a layout (detected when ``None``).
        images: The image directory, when not where the layout puts it.

    Raises:
        ConfigError: For a directory without a known layout or with malformed files.
    """
    if not root.is_dir():
        raise ConfigError(f"grounding data directory {root} does not exist")
    layout = layout or detect_layout(root)
    try:
        return _pro(root, images) if layout == "pro" else _screenspot(root, layout == "v2", images)
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{root}: malformed {layout} annotation ({type(e).__name__}: {e})") from None
