"""A local HTTP server that answers ``GET /v1/models`` like a model server, and can go away."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def model_server(status: int, *, answers: int = 1_000) -> Iterator[tuple[str, threading.Event]]:
    """A server whose ``GET /v1/models`` answers ``status``; after ``answers`` answers it
    shuts down and stops listening (a server that went away)."""
    served = threading.Event()
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"object": "list", "data": [{"id": "m"}]}')
            count[0] += 1
            if count[0] >= answers:
                served.set()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop_when_served() -> None:
        served.wait()
        server.shutdown()
        server.server_close()

    threading.Thread(target=stop_when_served, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", served
    finally:
        served.set()
