"""Serve a directory on 127.0.0.1 from a background thread (stdlib only)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without writing a log line per request onto the terminal."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def demo_pages() -> Path:
    """The directory of pages bundled with screenpilot."""
    return Path(str(resources.files("screenpilot.app.demo_site")))


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on an ephemeral port of 127.0.0.1; yields the base URL.

    The server stops when the context exits.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
