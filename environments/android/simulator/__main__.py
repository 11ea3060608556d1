"""``python -m screenpilot.environments.android.simulator --port 5037``: serve a simulated phone.

Point any adb client at it (``adb -P PORT devices``, ``screenpilot run ... --env android
-E port=PORT``). Stops on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from screenpilot.environments.android.simulator.device import SimConfig, SimDevice
from screenpilot.environments.android.simulator.server import AdbSimulator


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m screenpilot.environments.android.simulator", description=__doc__
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5037, help="0 picks a free port (printed)")
    p.add_argument("--serial", default="emulator-5554")
    p.add_argument("--size", default="720x1600", help="portrait WIDTHxHEIGHT in device pixels")
    p.add_argument("--density", type=int, default=320)
    p.add_argument("--adb-keyboard", action="store_true", help="install the ADB Keyboard IME")
    p.add_argument("--clipper", action="store_true", help="install the Clipper clipboard app")
    p.add_argument("--network-address", help="reachable only after 'adb connect ADDRESS'")
    p.add_argument("--time-scale", type=float, default=1.0, help="scale of swipe durations")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    width, _, height = args.size.partition("x")
    config = SimConfig(
        serial=args.serial,
        width=int(width),
        height=int(height),
        density=args.density,
        adb_keyboard=args.adb_keyboard,
        clipper=args.clipper,
        network_address=args.network_address,
        time_scale=args.time_scale,
    )
    sim = AdbSimulator(SimDevice(config), host=args.host, port=args.port).start()
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    print(f"adb simulator listening on {sim.host}:{sim.port} serial {sim.serial}", flush=True)
    stop.wait()
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
