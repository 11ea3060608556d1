"""Tiny inline SVG charts (no JavaScript, no library): horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence

from screenpilot.app.report.html import esc

_ROW = 22
_LABEL_W = 160
_BAR_W = 260


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    max_value: float | None = None,
    unit: str = "",
    color: str = "#2563eb",
    fmt: str = "{:.2f}",
) -> str:
    """A horizontal bar chart of ``(label, value)`` pairs as an ``<svg>`` in a ``.chart`` box."""
    top = max_value if max_value is not None else max((v for _, v in items), default=0.0)
    top = top or 1.0
    height = _ROW * len(items) + 8
    width = _LABEL_W + _BAR_W + 80
    rows = []
    for i, (label, value) in enumerate(items):
        y = 4 + i * _ROW
        w = max(0.0, min(1.0, value / top)) * _BAR_W
        short = label if len(label) <= 26 else label[:25] + "…"
        rows.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="12">{esc(short)}'
            f"<title>{esc(label)}</title></text>"
            f'<rect x="{_LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{_ROW - 6}" fill="{color}"/>'
            f'<text x="{_LABEL_W + w + 4:.1f}" y="{y + 15}" font-size="12">'
            f"{esc(fmt.format(value))}{esc(unit)}</text>"
        )
    svg = (
        f'<svg role="img" aria-label="{esc(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )
    return f'<div class="chart"><h3>{esc(title)}</h3>{svg}</div>'
