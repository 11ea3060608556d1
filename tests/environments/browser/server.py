"""A local HTTP server for browser tests: static pages plus a few dynamic routes."""

from __future__ import annotations

import http.server
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).parent / "pages"


class _Handler(http.server.SimpleHTTPRequestHandler):
    log: list[tuple[str, str]]

    def do_GET(self) -> None:
        self.log.append((self.headers.get("Host", ""), self.path))
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.end_headers()
        elif parts.path.startswith("/status/"):
            code = int(parts.path.rsplit("/", 1)[1])
            body = f"<title>Error {code}</title><h1>Error {code}</h1>".encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif parts.path == "/slow":
            time.sleep(float(query.get("s", ["0.5"])[0]))
            page = "html" in query  # a page that takes its time, for navigations
            body = b"<!doctype html><title>Slow page</title><p id=arrived>arrived</p>" if page else b"ok"
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if page else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return  # the page that asked went away (a long poll cut short)
        else:
            super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        return


class PageServer:
    """Serves ``tests/environments/browser/pages`` on 127.0.0.1 at an ephemeral port."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        """``(Host header, path)`` of every request served, in order."""
        handler_class = type("Handler", (_Handler,), {"log": self.requests})
        handler = partial(handler_class, directory=str(PAGES))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hosts_seen(self) -> set[str]:
        return {host.split(":")[0] for host, _ in self.requests}

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """``http://HOST:PORT/path``; ``host="localhost"`` models another domain."""
        return f"http://{host}:{self.port}/{path.lstrip('/')}"
