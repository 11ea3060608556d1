"""The allowlist proxy on its own: it dials only checked hosts, one request per connection."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from screenpilot.environments.browser.proxy import AllowlistProxy, Refusal
from tests.environments.browser.forbidden import ForbiddenHost


@pytest.fixture(scope="module")
def forbidden() -> Iterator[ForbiddenHost]:
    with ForbiddenHost() as host:
        yield host


@pytest.fixture(scope="module")
def allowed() -> Iterator[str]:
    class Hello(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real server

        def do_GET(self) -> None:
            body = f"hello {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """quiet"""

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def proxy() -> Iterator[tuple[AllowlistProxy, list[Refusal]]]:
    refused: list[Refusal] = []
    p = AllowlistProxy(["127.0.0.1"], refused.append)
    yield p, refused
    p.close()


def _exchange(proxy: AllowlistProxy, data: bytes) -> bytes:
    host, port = proxy.server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_allowed_request_is_forwarded_once_then_the_connection_closes(proxy, allowed, forbidden) -> None:
    p, _ = proxy
    # a second request pipelined on the same connection, to a forbidden host, goes nowhere
    two = (
        f"GET http://{allowed}/a HTTP/1.1\r\nHost: {allowed}\r\n\r\n"
        f"GET {forbidden.url('leak/pipelined')} HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n"
    ).encode()
    answer = _exchange(p, two)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"hello /a")
    assert answer.count(b"HTTP/1.") == 1
    assert forbidden.seen(settle_s=0.2) == []


@pytest.mark.parametrize(
    ("request_text", "status"),
    [
        ("GET {url} HTTP/1.1\r\nSec-Fetch-Mode: navigate\r\n\r\n", b"204"),
        ("GET {url} HTTP/1.1\r\nAccept: text/html\r\n\r\n", b"204"),
        ("GET {url} HTTP/1.1\r\nAccept: image/png\r\n\r\n", b"403"),
        ("CONNECT 127.0.0.2:{port} HTTP/1.1\r\n\r\n", b"403"),
        ("POST {url} HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", b"403"),
    ],
)
def test_refused_destination_is_never_dialled(proxy, forbidden, request_text: str, status: bytes) -> None:
    p, refused = proxy
    text = request_text.format(url=forbidden.url("leak/x"), port=forbidden.port)
    answer = _exchange(p, text.encode())
    assert answer.split(b" ", 2)[1] == status
    assert forbidden.seen(settle_s=0.1) == []
    assert [(r.host, r.port) for r in refused] == [("127.0.0.2", forbidden.port)]


def test_garbage_and_oversized_heads_are_answered(proxy) -> None:
    p, _ = proxy
    assert _exchange(p, b"hello\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _exchange(p, b"GET ftp://x/ HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert _exchange(p, b"GET http://a/ HTTP/1.1\r\n" + b"X: " + b"y" * 70_000 + b"\r\n\r\n").startswith(
        b"HTTP/1.1 431"
    )
