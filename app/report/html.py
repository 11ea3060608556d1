"""Small helpers for writing HTML by hand: escaping, templates, number formats.

The report avoids a template engine so that ``screenpilot report`` works on the core
install; page skeletons are :class:`string.Template` files shipped as package data and
every value that reaches them goes through :func:`esc` first.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from string import Template
from typing import Any


def esc(value: Any) -> str:
    """HTML-escape ``value`` (quotes included, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


@cache
def asset(name: str) -> str:
    """The text of a file under ``app/report/templates``."""
    return resources.files("screenpilot.app.report").joinpath("templates", name).read_text(encoding="utf-8")


def page(template: str, **values: str) -> str:
    """Fill a page template; ``values`` must already be HTML (escaped where needed)."""
    return Template(asset(template)).substitute(
        style=asset("report.css"), script=asset("report.js"), **values
    )


def fmt_s(seconds: float | None) -> str:
    """``0.123`` -> ``123 ms``, ``12.3`` -> ``12.3 s``, ``None`` -> ``-``."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


def fmt_int(n: int | float | None) -> str:
    return "-" if n is None else f"{n:,.0f}"


def table(headers: list[str], rows: list[list[str]], *, cls: str = "") -> str:
    """A table from already-escaped cell HTML."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def status_badge(status: str | None) -> str:
    s = status or "unfinished"
    return f'<span class="badge status-{esc(s)}">{esc(s)}</span>'
