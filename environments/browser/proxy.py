"""A local forward proxy that connects only to allowed hosts: the allowlist on the wire.

With ``allowed_domains`` set, the browser context is forced through this proxy for every
destination, loopback included (Playwright adds ``<-loopback>`` to the bypass list). So
each request Chromium makes, every redirect hop, preconnect, worker fetch, WebSocket and
WebRTC TURN-over-TCP connection arrives here *before* any connection to its destination
exists, and the proxy opens an upstream connection only after checking the host named in
the request. A refused destination is never dialled:

* plain HTTP (absolute-form requests): a navigation gets an empty ``204`` (the browser
  stays on the page it was on, a sub-frame stays empty), anything else a ``403``;
* ``CONNECT`` (HTTPS, ``wss:``, TURN over TCP): ``403``, the tunnel is never opened.

Every upstream connection carries exactly the one request that was checked (``Connection:
close`` upstream, the client connection closed after the answer), so a keep-alive
connection can never carry a second request to a host that was not checked. The proxy
only counts what it refused; the browser session turns blocked navigations into notices
from the browser's own request events.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from screenpilot.environments.browser.allowlist import host_allowed

MAX_HEAD = 64 * 1024
"""Largest request head accepted (request line plus headers)."""

_HOP_HEADERS = frozenset({"proxy-connection", "proxy-authorization", "connection", "keep-alive"})
_CONNECT_TIMEOUT_S = 15.0
_IDLE_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Refusal:
    """One destination the proxy refused (``kind`` is ``http`` or ``connect``)."""

    host: str
    port: int
    kind: str
    target: str


class _Request:
    """The parsed head of one request from the browser."""

    def __init__(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            raise ValueError("malformed request line")
        self.method, self.target, self.version = parts
        self.headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if not line:
                continue
            name, sep, value = line.partition(":")
            if not sep:
                raise ValueError("malformed header")
            self.headers.append((name.strip(), value.strip()))

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name), "")

    def is_navigation(self) -> bool:
        """A document load (top level or frame): answered ``204`` so that nothing changes."""
        mode = self.header("sec-fetch-mode")
        if mode:
            return mode == "navigate"
        return "text/html" in self.header("accept") or self.header("upgrade-insecure-requests") == "1"


class AllowlistProxy:
    """The proxy: start it, give the browser context :attr:`server`, close it with the context.

    Args:
        allowed: Host patterns (as :func:`~environments.browser.allowlist.host_allowed`).
        on_refusal: Called (on a proxy thread) for every refused destination.
    """

    def __init__(self, allowed: Sequence[str], on_refusal: Callable[[Refusal], None] | None = None) -> None:
        self.allowed = tuple(allowed)
        self.refusals: list[Refusal] = []
        self._lock = threading.Lock()
        self._on_refusal = on_refusal
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="screenpilot-allowlist-proxy", daemon=True
        )
        self._thread.start()

    @property
    def server(self) -> str:
        """``http://127.0.0.1:PORT``, for Playwright's ``proxy={"server": ...}``."""
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def allows(self, host: str) -> bool:
        return bool(host) and host_allowed(host.strip("[]"), self.allowed)

    def refuse(self, refusal: Refusal) -> None:
        with self._lock:
            self.refusals.append(refusal)
            del self.refusals[:-1000]
        if self._on_refusal is not None:
            self._on_refusal(refusal)

    def close(self) -> None:
        """Stop accepting; tunnels still open end with their sockets (daemon threads)."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5.0)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    proxy: AllowlistProxy


class _Handler(socketserver.BaseRequestHandler):
    request: socket.socket
    server: _Server

    def handle(self) -> None:
        client = self.request
        client.settimeout(_IDLE_TIMEOUT_S)
        try:
            head, rest = _read_head(client)
            if head is None:
                return
            try:
                req = _Request(head)
            except ValueError:
                _answer(client, 400, "Bad Request")
                return
            if req.method.upper() == "CONNECT":
                self._tunnel(client, req, rest)
            else:
                self._forward(client, req, rest)
        except OSError:
            return  # either side went away; nothing to report to anyone

    def _tunnel(self, client: socket.socket, req: _Request, rest: bytes) -> None:
        host, port = _split_host_port(req.target, 443)
        proxy = self.server.proxy
        if not proxy.allows(host):
            proxy.refuse(Refusal(host=host, port=port, kind="connect", target=req.target))
            _answer(client, 403, "Forbidden")
            return
        upstream = _dial(client, host, port)
        if upstream is None:
            return
        with upstream:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            _splice(client, upstream)

    def _forward(self, client: socket.socket, req: _Request, rest: bytes) -> None:
        parts = urlsplit(req.target)
        if parts.scheme != "http" or not parts.hostname:
            _answer(client, 400, "Bad Request")
            return
        host, port = parts.hostname, parts.port or 80
        proxy = self.server.proxy
        if not proxy.allows(host):
            proxy.refuse(Refusal(host=host, port=port, kind="http", target=req.target))
            if req.is_navigation():
                _answer(client, 204, "No Content")
            else:
                _answer(client, 403, "Forbidden")
            return
        upstream = _dial(client, host, port)
        if upstream is None:
            return
        with upstream:
            upstream.sendall(_origin_head(req, parts.path or "/", parts.query) + rest)
            _splice(client, upstream)


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    data = b""
    while b"\r\n\r\n" not in data and len(data) <= MAX_HEAD:
        chunk = sock.recv(8192)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    if len(head) > MAX_HEAD:
        _answer(sock, 431, "Request Header Fields Too Large")
        return None, b""
    return head, rest


def _origin_head(req: _Request, path: str, query: str) -> bytes:
    """The request as the origin server expects it: origin-form, one request per connection."""
    target = path + ("?" + query if query else "")
    lines = [f"{req.method} {target} {req.version}"]
    lines += [f"{k}: {v}" for k, v in req.headers if k.lower() not in _HOP_HEADERS]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _split_host_port(target: str, default: int) -> tuple[str, int]:
    host, sep, port = target.rpartition(":")
    if not sep or "]" in port:
        return target.strip("[]").lower(), default
    try:
        return host.strip("[]").lower(), int(port)
    except ValueError:
        return host.strip("[]").lower(), default


def _dial(client: socket.socket, host: str, port: int) -> socket.socket | None:
    try:
        upstream = socket.create_connection((host, port), timeout=_CONNECT_TIMEOUT_S)
    except OSError:
        _answer(client, 502, "Bad Gateway")
        return None
    upstream.settimeout(_IDLE_TIMEOUT_S)
    return upstream


def _answer(sock: socket.socket, status: int, reason: str) -> None:
    """An empty answer that closes the connection (refusals are marked as the allowlist's)."""
    marker = "X-Screenpilot-Allowlist: blocked\r\n" if status in (204, 403) else ""
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n{marker}\r\n"
    with contextlib.suppress(OSError):
        sock.sendall(head.encode("ascii"))


def _splice(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until the upstream side ends (or both are idle too long)."""
    with selectors.DefaultSelector() as sel:
        sel.register(client, selectors.EVENT_READ, upstream)
        sel.register(upstream, selectors.EVENT_READ, client)
        while True:
            ready = sel.select(timeout=_IDLE_TIMEOUT_S)
            if not ready:
                return
            for key, _ in ready:
                src: socket.socket = key.fileobj  # type: ignore[assignment]
                dst: socket.socket = key.data
                data = src.recv(65536)
                if not data:
                    if src is upstream:
                        return  # the answer is complete; the client connection closes with it
                    sel.unregister(client)
                    with contextlib.suppress(OSError):
                        upstream.shutdown(socket.SHUT_WR)
                    continue
                dst.sendall(data)
