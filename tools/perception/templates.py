"""Find a picture (an icon, a button cut out of an earlier screenshot) on the screen.

OpenCV's normalised cross-correlation at several scales, because the template may come
from a screen with another scale factor or zoom. Matches overlapping a better one are
dropped (non-maximum suppression). Boxes are in image pixels of the screenshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.ocr import to_array
from screenpilot.tools.points import Box, CoordSpace


class TemplateConfig(BaseModel):
    """Options of :func:`match_template`.

    Attributes:
        scales: Template scale factors to try.
        min_score: Correlation below which a match is dropped.
        max_results: At most this many candidates.
        grayscale: Match on luminance only (robust to tints, blind to colour-only icons).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scales: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
    min_score: float = Field(default=0.8, ge=0.0, le=1.0)
    max_results: int = Field(default=10, ge=1, le=100)
    grayscale: bool = True


def _cv2() -> Any:
    try:
        import cv2
    except ModuleNotFoundError as e:
        raise ConfigError("template matching needs the 'ocr' extra (opencv-python-headless)") from e
    return cv2


def match_template(
    screenshot: Image.Image | np.ndarray,
    template: Image.Image | np.ndarray,
    config: TemplateConfig | None = None,
    *,
    label: str = "template",
) -> list[Candidate]:
    """Where ``template`` appears in ``screenshot``, best first.

    Args:
        screenshot: The screen image.
        template: The picture to look for.
        config: Scales and thresholds.
        label: Name put into each candidate's ``text`` and ``why``.

    Returns:
        Candidates with boxes in :attr:`CoordSpace.IMAGE`.
    """
    cv2 = _cv2()
    cfg = config or TemplateConfig()
    screen, tmpl = to_array(screenshot), to_array(template)
    if cfg.grayscale:
        screen = cv2.cvtColor(screen, cv2.COLOR_RGB2GRAY)
        tmpl = cv2.cvtColor(tmpl, cv2.COLOR_RGB2GRAY)
    found: list[tuple[float, Box, float]] = []
    for scale in cfg.scales:
        th, tw = round(tmpl.shape[0] * scale), round(tmpl.shape[1] * scale)
        if th < 4 or tw < 4 or th > screen.shape[0] or tw > screen.shape[1]:
            continue
        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        scaled = cv2.resize(tmpl, (tw, th), interpolation=interp)
        scores = cv2.matchTemplate(screen, scaled, cv2.TM_CCOEFF_NORMED)
        found.extend(_peaks(scores, tw, th, scale, cfg))
    found.sort(key=lambda f: -f[0])
    kept = _suppress([(s, b) for s, b, _ in found], cfg.max_results)
    scale_of = {id(b): sc for _, b, sc in found}
    return [
        Candidate(
            box=b,
            score=float(min(1.0, max(0.0, s))),
            source="template",
            text=label,
            why=f"template {label!r} matched {s:.2f} at scale {scale_of[id(b)]:g}",
        )
        for s, b in kept
    ]


def _peaks(
    scores: np.ndarray, tw: int, th: int, scale: float, cfg: TemplateConfig
) -> list[tuple[float, Box, float]]:
    finite = np.nan_to_num(scores, nan=-1.0, posinf=-1.0, neginf=-1.0)
    ys, xs = np.nonzero(finite >= cfg.min_score)
    if ys.size == 0:
        return []
    order = np.argsort(-finite[ys, xs])[: cfg.max_results * 20]
    return [
        (
            float(finite[ys[i], xs[i]]),
            Box(
                x0=float(xs[i]),
                y0=float(ys[i]),
                x1=float(xs[i] + tw),
                y1=float(ys[i] + th),
                space=CoordSpace.IMAGE,
            ),
            scale,
        )
        for i in order
    ]


def _suppress(found: Sequence[tuple[float, Box]], limit: int) -> list[tuple[float, Box]]:
    kept: list[tuple[float, Box]] = []
    for score, box in found:
        if all(iou(box, other) < 0.3 for _, other in kept):
            kept.append((score, box))
            if len(kept) >= limit:
                break
    return kept


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes in the same space."""
    ix = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))
    inter = ix * iy
    union = a.width * a.height + b.width * b.height - inter
    return inter / union if union > 0 else 0.0
