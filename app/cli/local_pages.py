"""Local HTML files as start pages: served from 127.0.0.1 for as long as a run needs them.

``--url page.html`` (or ``run(url=Path("page.html"))``) serves the file's directory over
HTTP on an ephemeral port, so the page behaves as it would on a web server (relative links,
scripts, forms), and yields its ``http://127.0.0.1:PORT/page.html`` address.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

from screenpilot.app.demo_site.server import serve_directory

LOOPBACK = "127.0.0.1"


def local_file(url: str | Path) -> Path | None:
    """The local file or directory ``url`` names, or ``None`` for a URL."""
    if isinstance(url, Path):
        return url
    if urlsplit(url).scheme or url.startswith("about:"):
        return None
    path = Path(url).expanduser()
    return path if path.exists() else None


@contextmanager
def served_url(url: str | Path) -> Iterator[str]:
    """``url`` itself, or the address a local file is served at while the context lasts.

    Raises:
        FileNotFoundError: ``url`` is a ``Path`` that does not exist.
    """
    path = local_file(url)
    if path is None:
        yield str(url)
        return
    path = path.resolve(strict=True)
    directory, name = (path, "") if path.is_dir() else (path.parent, path.name)
    with serve_directory(directory) as base:
        yield f"{base}/{quote(name)}"
