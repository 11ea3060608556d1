"""Marks as an inline SVG laid over a screenshot.

The SVG's ``viewBox`` is the screenshot's pixel size, so marks keep their place however
the browser scales the image (and the embedded JPEG may be smaller than the original).
"""

from __future__ import annotations

from collections.abc import Sequence

from screenpilot.app.report.action_marks import Mark
from screenpilot.app.report.html import esc

OK_COLOR = "#ff0000"
FAIL_COLOR = "#ff00ff"


def _r(width: int, height: int) -> float:
    return max(6.0, 0.012 * max(width, height))


def _shape(mark: Mark, r: float) -> str:
    color = OK_COLOR if mark.ok else FAIL_COLOR
    stroke = f'stroke="{color}" stroke-width="{r / 3:.1f}" fill="none"'
    pts = mark.points
    if mark.kind == "box":
        (x0, y0), (x1, y1) = pts[0], pts[1]
        return f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" {stroke}/>'
    if mark.kind == "path":
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        (sx, sy), (ex, ey) = pts[0], pts[-1]
        return (
            f'<polyline points="{line}" {stroke} stroke-dasharray="{r:.1f},{r / 2:.1f}"/>'
            f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="{r:.1f}" {stroke}/>'
            f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="{r / 2:.1f}" fill="{color}"/>'
        )
    x, y = pts[0]
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {stroke}/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r / 3:.1f}" fill="{color}"/>'
    )


def _label(mark: Mark, r: float) -> str:
    if not mark.label:
        return ""
    x, y = mark.points[-1] if mark.kind != "box" else mark.points[0]
    color = OK_COLOR if mark.ok else FAIL_COLOR
    return (
        f'<text x="{x + r * 1.4:.1f}" y="{y - r * 1.2:.1f}" font-size="{r * 2:.1f}" fill="{color}" '
        f'stroke="white" stroke-width="{r / 4:.1f}" paint-order="stroke">{esc(mark.label)}</text>'
    )


def svg_overlay(marks: Sequence[Mark], width: int, height: int) -> str:
    """An ``<svg class="marks">`` for ``marks`` on a ``width`` x ``height`` image."""
    r = _r(width, height)
    body = "".join(_shape(m, r) + _label(m, r) for m in marks)
    return (
        f'<svg class="marks" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
