"""A forbidden host for allowlist tests: 127.0.0.2, recording every connection and datagram.

Linux routes all of 127.0.0.0/8 to the loopback interface, so a listener on 127.0.0.2 is a
second host the browser can reach that an allowlist of ``127.0.0.1`` does not include.
One TCP listener (answering HTTP with a page that says ``LEAK``) and one UDP socket (for
STUN/TURN) share a port; every accepted connection and every datagram is recorded with
the first line it carried, so a test can show that nothing at all reached the host.
"""

from __future__ import annotations

import socket
import threading
import time

HOST = "127.0.0.2"


class ForbiddenHost:
    """The recording host; use as a context manager."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        """``(kind, first line)`` per TCP connection (``tcp``) or datagram (``udp``)."""
        self._lock = threading.Lock()
        self._tcp, self._udp = _bind_pair()
        self.port = self._tcp.getsockname()[1]
        self._stop = False
        self._threads = [
            threading.Thread(target=self._accept, daemon=True),
            threading.Thread(target=self._receive, daemon=True),
        ]

    def __enter__(self) -> ForbiddenHost:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._tcp.close()
        self._udp.close()

    def url(self, path: str = "", scheme: str = "http") -> str:
        return f"{scheme}://{HOST}:{self.port}/{path.lstrip('/')}"

    def seen(self, settle_s: float = 0.0) -> list[tuple[str, str]]:
        """What reached the host so far (after waiting ``settle_s`` for stragglers)."""
        if settle_s:
            time.sleep(settle_s)
        with self._lock:
            return list(self.events)

    def _record(self, kind: str, first: bytes) -> None:
        line = first.split(b"\r\n", 1)[0][:120].decode("latin-1")
        with self._lock:
            self.events.append((kind, line))

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._tcp.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2.0)
            try:
                first = conn.recv(4096)
            except OSError:
                first = b""
            self._record("tcp", first)
            body = b"<title>LEAK</title><h1>LEAK</h1>"
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
            try:
                conn.sendall(head.encode() + body)
            except OSError:
                return

    def _receive(self) -> None:
        while not self._stop:
            try:
                data, _ = self._udp.recvfrom(4096)
            except OSError:
                return
            self._record("udp", data[:40].hex().encode())


def _bind_pair() -> tuple[socket.socket, socket.socket]:
    """A TCP listener and a UDP socket on the same free port of 127.0.0.2."""
    for _ in range(50):
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind((HOST, 0))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind((HOST, tcp.getsockname()[1]))
        except OSError:
            tcp.close()
            udp.close()
            continue
        tcp.listen(64)
        return tcp, udp
    raise OSError("no port free for both TCP and UDP on 127.0.0.2")
