"""A fake adb *server* on 127.0.0.1 speaking the adb host protocol.

Clients (adbutils, Debian's ``adb`` binary with ``-P PORT``) send requests framed as four
hex digits of length plus the request; the server answers ``OKAY`` or ``FAIL`` plus a
length-framed message. ``host:transport:SERIAL`` (or ``host:tport:serial:SERIAL``, which
answers an 8-byte transport id) switches the socket to the device, whose ``shell:``,
``exec:`` and ``shell,v2:`` services run commands in the simulated shell. Shell v2 frames
its output as packets: one byte id (1 stdout, 2 stderr, 3 exit code), four bytes
little-endian length, data.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from screenpilot.environments.android.simulator import shell
from screenpilot.environments.android.simulator.device import SimDevice

ADB_SERVER_VERSION = 41
FEATURES = "shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec"
_TRANSPORT_ID = 1


class _Closed(Exception):
    """The peer went away."""


def _read_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise _Closed
        buf += chunk
    return buf


def _block(text: str) -> bytes:
    data = text.encode("utf-8")
    return f"{len(data):04x}".encode() + data


def _okay(conn: socket.socket, text: str | None = None) -> None:
    conn.sendall(b"OKAY" + (_block(text) if text is not None else b""))


def _fail(conn: socket.socket, text: str) -> None:
    conn.sendall(b"FAIL" + _block(text))


class AdbSimulator:
    """A fake adb server with one simulated device attached.

    Args:
        device: The phone (a default one when omitted).
        host: Address to listen on.
        port: TCP port; 0 picks a free one (see :attr:`port`).
    """

    def __init__(self, device: SimDevice | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.device = device or SimDevice()
        self.host = host
        self.port = port
        self._listener: socket.socket | None = None
        self._clients: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dropped_until = 0.0
        self._connected = self.device.config.network_address is None
        self.requests: list[str] = []

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> AdbSimulator:
        """Listen and serve in a background thread."""
        self._bind()
        self._stop.clear()
        self._thread = threading.Thread(target=self._accept_loop, name="adb-sim", daemon=True)
        self._thread.start()
        return self

    def _bind(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.host, self.port))
        s.listen(64)
        s.settimeout(0.05)
        self.port = s.getsockname()[1]
        self._listener = s

    def stop(self) -> None:
        """Stop serving and close every connection. Safe to call twice."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._close_listener()
        self._close_clients()

    def __enter__(self) -> AdbSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def serial(self) -> str:
        return self.device.config.network_address or self.device.config.serial

    # -- faults ----------------------------------------------------------------------------

    def drop(self, seconds: float, *, mode: str = "device") -> None:
        """Drop the connection: close every open socket and stay unreachable for ``seconds``.

        ``mode="device"``: the server stays up but the device is gone from ``host:devices``
        (a USB cable pulled; a Wi-Fi device must be ``adb connect``-ed again afterwards).
        ``mode="server"``: the server stops listening, so connections are refused.
        """
        with self._lock:
            self._dropped_until = time.monotonic() + seconds
            if self.device.config.network_address is not None:
                self._connected = False
        self._close_clients()
        if mode == "server":
            self._close_listener()
            timer = threading.Timer(seconds, self._rebind)
            timer.daemon = True
            timer.start()

    def _rebind(self) -> None:
        if not self._stop.is_set():
            self._bind()

    def _present(self) -> bool:
        with self._lock:
            return time.monotonic() >= self._dropped_until and self._connected

    def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
            self._listener = None

    def _close_clients(self) -> None:
        with self._lock:
            clients, self._clients = set(self._clients), set()
        for c in clients:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                c.close()

    # -- serving ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            listener = self._listener
            if listener is None:
                time.sleep(0.02)
                continue
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(30)
            with self._lock:
                self._clients.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while True:
                length = int(_read_exact(conn, 4), 16)
                request = _read_exact(conn, length).decode("utf-8")
                self.requests.append(request)
                if not self._host_request(conn, request):
                    break
        except (_Closed, OSError, ValueError):
            pass
        finally:
            with self._lock:
                self._clients.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _host_request(self, conn: socket.socket, req: str) -> bool:
        """Answer one request; ``True`` keeps the socket open for another."""
        if req.startswith("host-serial:"):
            serial, _, rest = req[len("host-serial:") :].rpartition(":")
            return self._serial_request(conn, serial, rest)
        if req == "host:version":
            _okay(conn, f"{ADB_SERVER_VERSION:04x}")
            return False
        if req in ("host:devices", "host:devices-l"):
            _okay(conn, self._device_list(long=req.endswith("-l")))
            return False
        if req.startswith("host:connect:"):
            _okay(conn, self._connect(req[len("host:connect:") :]))
            return False
        if req.startswith("host:disconnect:"):
            with self._lock:
                self._connected = self.device.config.network_address is None
            _okay(conn, f"disconnected {req[len('host:disconnect:') :]}")
            return False
        if req == "host:kill":
            _okay(conn)
            threading.Thread(target=self.stop, daemon=True).start()
            return False
        if req.startswith(("host:transport", "host:tport")):
            return self._transport(conn, req)
        if req in ("host:get-state", "host:features", "host:get-serialno"):
            return self._serial_request(conn, self.serial, req[len("host:") :])
        _fail(conn, f"unknown host service '{req}'")
        return False

    def _device_list(self, *, long: bool) -> str:
        if not self._present():
            return ""
        tail = " product:sdk_gphone64 model:Pixel_Sim device:emu64x transport_id:1" if long else ""
        return f"{self.serial}\tdevice{tail}\n" if not long else f"{self.serial}          device{tail}\n"

    def _connect(self, address: str) -> str:
        net = self.device.config.network_address
        if net is None or address != net:
            return f"failed to connect to '{address}': Connection refused"
        with self._lock:
            if time.monotonic() < self._dropped_until:
                return f"failed to connect to '{address}': Connection refused"
            was, self._connected = self._connected, True
        return f"already connected to {address}" if was else f"connected to {address}"

    def _serial_request(self, conn: socket.socket, serial: str, rest: str) -> bool:
        if serial != self.serial or not self._present():
            _fail(conn, f"device '{serial}' not found")
            return False
        answers = {
            "get-state": "device",
            "get-serialno": self.serial,
            "features": FEATURES,
            "get-devpath": "usb:1-1",
        }
        if rest in answers:
            _okay(conn, answers[rest])
        else:
            _fail(conn, f"'{rest}' is not supported by the simulator")
        return False

    def _transport(self, conn: socket.socket, req: str) -> bool:
        kind = req.split(":", 1)[1]
        serial = kind.removeprefix("serial:") if kind.startswith("serial:") else None
        if req.startswith("host:transport:"):
            serial = kind
        if (serial is not None and serial != self.serial) or not self._present():
            _fail(conn, f"device '{serial}' not found" if serial else "no devices/emulators found")
            return False
        conn.sendall(b"OKAY" + (struct.pack("<Q", _TRANSPORT_ID) if req.startswith("host:tport:") else b""))
        length = int(_read_exact(conn, 4), 16)
        service = _read_exact(conn, length).decode("utf-8")
        self.requests.append(service)
        self._device_service(conn, service)
        return False

    def _device_service(self, conn: socket.socket, service: str) -> None:
        kind, _, command = service.partition(":")
        name, *flags = kind.split(",")  # e.g. "shell,v2,TERM=xterm,raw" from the adb binary
        if name not in ("shell", "exec"):
            _fail(conn, f"closed: service '{kind}' is not simulated")
            return
        _okay(conn)
        result = shell.run(self.device, command)
        if not self._present():
            return  # dropped while the command ran: the socket is already closed
        if name == "shell" and "v2" in flags:
            out = b""
            if result.stdout:
                out += struct.pack("<BI", 1, len(result.stdout)) + result.stdout
            if result.stderr:
                out += struct.pack("<BI", 2, len(result.stderr)) + result.stderr
            out += struct.pack("<BIB", 3, 1, result.code & 0xFF)
            conn.sendall(out)
        else:
            conn.sendall(result.stdout + result.stderr)
        with contextlib.suppress(OSError):
            conn.shutdown(socket.SHUT_WR)
