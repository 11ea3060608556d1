"""Observe and execute latency of the Android environment against the ADB simulator.

Run: ``python -m devtools.perf.android_latency [--runs N] [--size 720x1600]``

Everything goes through adbutils and the adb host protocol over 127.0.0.1, so the numbers
are the driver's own cost plus the simulator's rendering; a real device adds its capture,
encode and transport time (see docs/android.md).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.options import AndroidOptions
from screenpilot.environments.android.simulator import AdbSimulator, SimConfig, SimDevice
from screenpilot.tools.actions import Action, Click, KeyPress, OpenApp, Swipe, TypeText
from screenpilot.tools.points import Point


def median_ms(fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _changer(sim: AdbSimulator) -> Callable[[], None]:
    """Change the screen state so that the next capture has to render a new frame."""

    def change() -> None:
        with sim.device.lock:
            sim.device.state.touch("benchmark")

    return change


def observe_rows(sim: AdbSimulator, runs: int) -> list[tuple[str, float]]:
    rows = []
    change = _changer(sim)
    for shot in ("raw", "png"):
        for elements in (True, False):
            env = AndroidEnvironment(AndroidOptions(port=sim.port, screenshot=shot, elements=elements))
            env.reset()
            label = f"observe ({shot}{', with UI dump' if elements else ''})"
            rows.append((label, median_ms(env.observe, runs, change)))
            env.close()
        env = AndroidEnvironment(AndroidOptions(port=sim.port, screenshot=shot, elements=False))
        rows.append((f"screenshot only ({shot})", median_ms(env.screenshot, runs, change)))
        # unchanged screen: the simulator serves its cached capture, leaving transport + decode
        rows.append((f"screenshot, unchanged screen ({shot})", median_ms(env.screenshot, runs)))
        env.close()
    return rows


def execute_rows(sim: AdbSimulator, runs: int) -> list[tuple[str, float]]:
    env = AndroidEnvironment(AndroidOptions(port=sim.port))
    env.reset()
    env.execute(OpenApp(name="com.example.form"))
    name = next(e for e in env.observe().elements if e.id == "name")
    actions: list[tuple[str, Action]] = [
        ("tap", Click(at=name.box.center)),
        ("key (backspace)", KeyPress(keys=("backspace",))),
        ("type 12 ASCII chars", TypeText(text="hello world!")),
        ("type 6 non-ASCII chars (ADB Keyboard)", TypeText(text="你好, 世界")),
        ("swipe (50 ms gesture)", Swipe(start=Point(x=360, y=1200), end=Point(x=360, y=400), duration_ms=50)),
        ("open app by package", OpenApp(name="com.example.form")),
    ]
    rows = [(f"execute {label}", median_ms(partial(env.execute, action), runs)) for label, action in actions]
    rows.append(("settle (2 equal frames)", median_ms(lambda: env.settle(2.0), runs)))
    env.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", default="720x1600")
    args = parser.parse_args()
    width, _, height = args.size.partition("x")
    config = SimConfig(width=int(width), height=int(height), adb_keyboard=True)
    with AdbSimulator(SimDevice(config)) as sim:
        rows = observe_rows(sim, args.runs) + execute_rows(sim, args.runs)
    print(f"Android environment against the simulator, {args.size}, median of {args.runs} runs")
    for label, ms in rows:
        print(f"  {label:<45} {ms:8.1f} ms")
    by = dict(rows)
    ratio = by["screenshot only (png)"] / by["screenshot only (raw)"]
    print(f"  PNG / raw screenshot time (new frame): {ratio:.2f}x")
    ratio = by["screenshot, unchanged screen (png)"] / by["screenshot, unchanged screen (raw)"]
    print(f"  PNG / raw screenshot time (transport + decode only): {ratio:.2f}x")
    dump = by["observe (raw, with UI dump)"] - by["observe (raw)"]
    print(f"  UI dump share of an observation: {dump:.1f} ms")


if __name__ == "__main__":
    main()
