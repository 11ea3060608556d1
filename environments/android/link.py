"""The connection to one device through adbutils, with reconnection when it drops.

adbutils' own connection starts ``adb start-server`` whenever the server port refuses a
connection; during a reconnect loop that would spawn a real adb server behind the user's
back, so connections here never do (``start_server`` does it once, on purpose).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import adbutils
from adbutils.errors import AdbError, AdbTimeout

from screenpilot.environments.android.options import AndroidOptions
from screenpilot.tools.errors import ConfigError, DriverError, EnvCrashed, EnvTimeout

_HOST_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ShellResult:
    """Output of one device command."""

    stdout: bytes
    stderr: bytes
    code: int

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    """Read exactly ``n`` bytes into one buffer.

    adbutils' ``read_exact`` grows a bytes object chunk by chunk, which is quadratic: a
    raw 1080x2400 screenshot (10 MB) spent most of its time in copies.
    """
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            raise EOFError(f"expected {n} bytes, got {got}")
        got += k
    return bytes(buf)


def _verb(command: str) -> str:
    return command.split(maxsplit=1)[0] if command.strip() else command


class _NotDelivered(Exception):
    """The command never reached the device (no transport)."""


class _MaybeDelivered(Exception):
    """The link broke after the command was sent."""


class _Connection(adbutils.AdbConnection):
    def _safe_connect(self) -> socket.socket:
        sock: socket.socket = self._create_socket()
        return sock


class _Client(adbutils.AdbClient):
    """An adbutils client that never spawns a server and asks the server version once."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host=host, port=port)
        self.version: int | None = None

    def make_connection(self, timeout: float | None = None) -> Any:
        conn = _Connection(self.host, self.port)
        # a hung server must not hang the agent: host requests get a bound too
        conn.conn.settimeout(timeout or _HOST_TIMEOUT_S)
        return conn

    def server_version(self) -> int:
        # BaseDevice.open_transport asks before every command; the answer cannot change
        # while the server lives, and reconnecting clears it.
        if self.version is None:
            self.version = int(super().server_version())
        return self.version


class DeviceLink:
    """One device: resolve it, run shell commands, notice drops and reconnect.

    Args:
        options: Where the server and device are.
    """

    def __init__(self, options: AndroidOptions) -> None:
        self.options = options
        self.client = _Client(options.host, options.port)
        self.serial = ""
        self.notices: list[str] = []
        self._device: Any = None
        self._shell_v2 = False
        if options.start_server:
            self._start_server()
        self._attach()

    def _start_server(self) -> None:
        with contextlib.suppress(AdbError, OSError):
            self.client.make_connection(timeout=1).close()
            return
        adb = shutil.which("adb")
        if adb is None:
            raise ConfigError("start_server needs the 'adb' program on PATH")
        subprocess.run([adb, "-P", str(self.options.port), "start-server"], check=False, timeout=30)

    def _attach(self) -> None:
        try:
            if self.options.connect:
                self._adb_connect()
            self.serial = self.options.serial or self.options.connect or self._only_device()
            self._device = self.client.device(serial=self.serial)
            self._shell_v2 = "shell_v2" in str(self._device.get_features()).split(",")
        except (AdbError, OSError, EOFError) as e:
            # at start-up nothing can be retried: say what to check instead of crashing
            raise ConfigError(
                f"cannot reach an Android device through the adb server at "
                f"{self.options.host}:{self.options.port}: {e} (check --serial, -E port=..., "
                f"-E connect=HOST:PORT, or start the server with -E start_server=true)"
            ) from e

    def _adb_connect(self) -> None:
        assert self.options.connect is not None
        answer = str(self.client.connect(self.options.connect, timeout=5))
        if not answer.startswith(("connected", "already connected")):
            raise AdbError(answer)

    def _only_device(self) -> str:
        ready = [d.serial for d in self.client.list() if d.state == "device"]
        if not ready:
            raise AdbError("no device is attached")
        if len(ready) > 1:
            raise ConfigError(f"several devices are attached ({', '.join(ready)}); choose one with --serial")
        return str(ready[0])

    # -- commands --------------------------------------------------------------------------

    def shell(self, command: str, *, timeout: float, idempotent: bool) -> ShellResult:
        """Run ``command`` in the device shell; reconnect once if the device dropped.

        Idempotent commands (screenshots, dumps, queries) are re-run after a reconnect; an
        action whose link broke after it was sent is not, because it may have happened.

        Raises:
            EnvTimeout: The command did not finish within ``timeout``.
            EnvCrashed: The device is gone and did not come back.
            DriverError: The link broke mid-action, or the adb server refused the command.
        """
        try:
            return self._shell_once(command, timeout)
        except (_NotDelivered, _MaybeDelivered) as first:
            healthy = self.healthy()
            if healthy and isinstance(first, _MaybeDelivered):
                raise DriverError(f"adb failed running {_verb(command)!r}: {first}") from first
            if not healthy:
                self.reconnect()
                if isinstance(first, _MaybeDelivered) and not idempotent:
                    raise DriverError(
                        "the device dropped while the action was being sent and was reconnected; "
                        "the action may not have happened"
                    ) from first
        # not delivered, or a read whose device has come back: run it again
        try:
            return self._shell_once(command, timeout)
        except (_NotDelivered, _MaybeDelivered) as second:
            if self.healthy():
                raise DriverError(f"adb refused {_verb(command)!r}: {second}") from second
            raise EnvCrashed(f"the device {self.serial} dropped again: {second}") from second

    def _shell_once(self, command: str, timeout: float) -> ShellResult:
        try:
            conn = self._device.open_transport(timeout=timeout)
        except AdbTimeout as e:
            raise EnvTimeout(f"the adb server did not answer within {timeout:g}s") from e
        except (AdbError, OSError, EOFError) as e:
            raise _NotDelivered(str(e)) from e
        try:
            if self._shell_v2:
                return self._read_v2(conn, command)
            conn.send_command("exec:" + command)
            conn.check_okay()
            return ShellResult(stdout=conn.read_until_close(encoding=None), stderr=b"", code=0)
        except (AdbTimeout, TimeoutError) as e:
            raise EnvTimeout(f"{_verb(command)!r} did not finish within {timeout:g}s") from e
        except (AdbError, OSError, EOFError) as e:
            raise _MaybeDelivered(str(e)) from e
        finally:
            conn.close()

    def _read_v2(self, conn: Any, command: str) -> ShellResult:
        conn.send_command("shell,v2:" + command)
        conn.check_okay()
        sock: socket.socket = conn.conn
        out, err = bytearray(), bytearray()
        while True:
            header = _recv_exact(sock, 5)
            kind, length = header[0], int.from_bytes(header[1:5], "little")
            data = _recv_exact(sock, length) if length else b""
            if kind == 1:
                out += data
            elif kind == 2:
                err += data
            elif kind == 3:
                return ShellResult(stdout=bytes(out), stderr=bytes(err), code=data[0] if data else 255)

    # -- health ----------------------------------------------------------------------------

    def healthy(self) -> bool:
        """Whether the server answers and lists the device as ready."""
        try:
            return any(d.serial == self.serial and d.state == "device" for d in self.client.list())
        except (AdbError, OSError, EOFError, ValueError):
            return False

    def reconnect(self) -> None:
        """Wait for the device to come back (``adb connect`` again for TCP devices).

        Raises:
            EnvCrashed: When it is not back within ``reconnect_timeout_s``.
        """
        start = time.monotonic()
        delay = 0.05
        while True:
            self.client.version = None
            if self.options.connect:
                with contextlib.suppress(AdbError, OSError, EOFError):
                    self._adb_connect()
            if self.healthy():
                with contextlib.suppress(AdbError, OSError, EOFError):
                    self._shell_v2 = "shell_v2" in str(self._device.get_features()).split(",")
                waited = time.monotonic() - start
                self.notices.append(
                    f"the device {self.serial} dropped and was reconnected after {waited:.1f}s"
                )
                return
            if time.monotonic() - start >= self.options.reconnect_timeout_s:
                raise EnvCrashed(
                    f"the device {self.serial} dropped and did not come back within "
                    f"{self.options.reconnect_timeout_s:g}s"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def take_notices(self) -> tuple[str, ...]:
        out, self.notices = tuple(self.notices), []
        return out
