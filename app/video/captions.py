"""Burning a step's number, action marks and a short caption into a video frame."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from screenpilot.app.report.action_marks import Mark
from screenpilot.app.report.steps import StepView

# A font that covers CJK first (thoughts may be Chinese), then any Latin one.
_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
_OK, _FAIL = (46, 160, 67), (218, 54, 51)
_MAX_CAPTION = 110

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def caption_font(size: int) -> Font:
    """The caption font at ``size`` pixels (PIL's own font when no system font is found)."""
    for name in _FONT_FILES:
        if Path(name).is_file():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def caption_text(view: StepView, total: int | None = None) -> tuple[str, str]:
    """``(headline, caption)``: "Step 3/12 · click ✓" and the thought's first line (or the
    action) cut to a readable length."""
    of = f"/{total}" if total else ""
    verbs = " ".join(f"{a.text.split('(')[0]} {'✓' if a.ok else '✗'}" for a in view.actions)
    if view.error:
        verbs = (verbs + " ✗").strip()
    head = f"Step {view.index + 1}{of}" + (f" · {verbs}" if verbs else "")
    first = next((ln.strip() for ln in view.thought.splitlines() if ln.strip()), "")
    text = first or (view.actions[0].text if view.actions else (view.error or ""))
    if len(text) > _MAX_CAPTION:
        text = text[: _MAX_CAPTION - 1] + "…"
    return head, text


def _draw_mark(draw: ImageDraw.ImageDraw, mark: Mark, sx: float, sy: float, r: int) -> None:
    color = _OK if mark.ok else _FAIL
    pts = [(x * sx, y * sy) for x, y in mark.points]
    if mark.kind == "box" and len(pts) == 2:
        draw.rectangle([pts[0], pts[1]], outline=color, width=max(2, r // 4))
        return
    if mark.kind == "path" and len(pts) > 1:
        draw.line(pts, fill=color, width=max(2, r // 3))
    x, y = pts[0]
    draw.ellipse([x - r, y - r, x + r, y + r], outline=color, width=max(2, r // 3))
    draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=color)


def burn_in(
    frame: Image.Image,
    view: StepView | None,
    *,
    total: int | None = None,
    marks: bool = True,
    image_size: tuple[int, int] | None = None,
) -> Image.Image:
    """A copy of ``frame`` with the step's marks and a caption band at the bottom.

    Args:
        frame: The picture (any size; marks are scaled from ``image_size``).
        view: The step on screen (``None``: before the first step, nothing is drawn).
        total: The run's step count, for "Step 3/12".
        marks: Whether to draw the action marks (continuous frames between steps skip them
            once the action has happened).
        image_size: Size of the screenshot the marks are in (default: the frame's).
    """
    img = frame.convert("RGB")
    if view is None:
        return img
    draw = ImageDraw.Draw(img)
    w, h = img.size
    if marks and view.marks:
        iw, ih = image_size or view.image_size or (w, h)
        for mark in view.marks:
            _draw_mark(draw, mark, w / iw, h / ih, max(10, w // 60))
    size = max(12, h // 36)
    font = caption_font(size)
    head, text = caption_text(view, total)
    band = size * 2 + size // 2 + 16 if text else size + 12
    draw.rectangle([0, h - band, w, h], fill=(20, 20, 24))
    draw.text((8, h - band + 4), head, font=font, fill=_OK if view.ok else _FAIL)
    if text:
        draw.text((8, h - band + 4 + size + size // 2), text, font=font, fill=(235, 235, 235))
    return img
