"""The simulator speaks the adb host protocol: raw framing, adbutils, and Debian's adb binary."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys

import adbutils
import pytest

from screenpilot.environments.android.simulator import AdbSimulator

pytestmark = pytest.mark.android


def _request(sock: socket.socket, text: str) -> None:
    data = text.encode()
    sock.sendall(f"{len(data):04x}".encode() + data)


def _recv(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        assert chunk, "connection closed early"
        buf += chunk
    return buf


def _block(sock: socket.socket) -> str:
    return _recv(sock, int(_recv(sock, 4), 16)).decode()


def test_host_services_frame_okay_and_fail(sim: AdbSimulator) -> None:
    with socket.create_connection(("127.0.0.1", sim.port)) as s:
        _request(s, "host:version")
        assert _recv(s, 4) == b"OKAY" and int(_block(s), 16) == 41
    with socket.create_connection(("127.0.0.1", sim.port)) as s:
        _request(s, "host-serial:nope:features")
        assert _recv(s, 4) == b"FAIL" and _block(s) == "device 'nope' not found"
    with socket.create_connection(("127.0.0.1", sim.port)) as s:
        _request(s, "host:no-such-thing")
        assert _recv(s, 4) == b"FAIL"


def test_tport_then_shell_v2_packets(sim: AdbSimulator) -> None:
    with socket.create_connection(("127.0.0.1", sim.port)) as s:
        _request(s, f"host:tport:serial:{sim.serial}")
        assert _recv(s, 4) == b"OKAY"
        assert struct.unpack("<Q", _recv(s, 8))[0] == 1
        _request(s, "shell,v2:echo out; cat /missing")
        assert _recv(s, 4) == b"OKAY"
        packets = {}
        while True:
            kind, length = struct.unpack("<BI", _recv(s, 5))
            packets[kind] = _recv(s, length)
            if kind == 3:
                break
    assert packets[1] == b"out\n"
    assert b"No such file" in packets[2]
    assert packets[3] == b"\x01"


def test_adbutils_high_level_calls(sim: AdbSimulator) -> None:
    client = adbutils.AdbClient(host="127.0.0.1", port=sim.port)
    assert [d.serial for d in client.device_list()] == [sim.serial]
    d = client.device(sim.serial)
    assert d.window_size() == (720, 1600)
    assert d.screenshot().size == (720, 1600)
    d.app_start("com.android.deskclock")
    assert d.app_current().package == "com.android.deskclock"
    assert d.shell2("false", v2=True).returncode == 1


def test_debian_adb_binary_and_simulator_cli() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "screenpilot.environments.android.simulator",
            "--port",
            "0",
            "--serial",
            "sim-1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        port = line.split("127.0.0.1:")[1].split()[0]
        adb = ["adb", "-P", port, "-s", "sim-1"]
        run = subprocess.run(
            [*adb, "shell", "input tap 90 450 && dumpsys window | grep mCurrentFocus"],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert run.returncode == 0, run.stderr
        assert "com.android.settings/.Settings" in run.stdout
        png = subprocess.run([*adb, "exec-out", "screencap -p"], check=False, capture_output=True, timeout=30)
        png = png.stdout
        assert png.startswith(b"\x89PNG")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0
