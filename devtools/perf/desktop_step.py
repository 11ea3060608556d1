"""One desktop agent step with the defaults against the bare driver calls it wraps.

Run: ``python -m devtools.perf.desktop_step [--runs N] [--steps N]``

It starts its own Xvfb (1920x1080x24) with one Tk window: a still label on its left half,
a button that changes its text when clicked on its right half. Then it interleaves,
``--runs`` times, ``--steps`` steps of each variant:

* bare: one mss grab converted into an RGB image (what an observation needs; straight from
  the grab's buffer) and one XTest click on the label (pointer motion, press, release, one
  round trip to the X server);
* agent: the real :class:`~agent.loop.Agent` loop with ``DesktopConfig`` and ``AgentConfig``
  defaults and a scripted policy clicking the label (observe, predict, act, settle,
  effects, loop detection), without recording and with a full trajectory on disk;
* agent, sampling: the same without the X-event verdict (``settle_events=False``): every
  settle wait compares grabs, as before it existed;
* agent, changing: clicks on the button, so every step draws and is sampled (for scale:
  what a step costs when the screen changes; no bare counterpart waits for the window).

Steps are timed between consecutive step callbacks. It prints medians per step, the
ratio of each agent variant to bare, and the median stage times the steps report.

Before measuring, the C allocator is brought to the state a long-running process reaches:
glibc maps every block above its (dynamic) mmap threshold afresh, page faults included,
until a larger block has been freed once. A 1080p frame (8 MB) is above the initial
threshold, so without this whichever variant runs first in a young process pays for
faulting in 8 MB per frame (bare: 5 ms became 19 to 40 ms, depending on what ran before).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import StageTimes, StepEvent
from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.desktop.xvfb import PrivateDisplay
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point

WIDTH, HEIGHT = 1920, 1080
WINDOW = (200, 150, 900, 600)  # left, top, width, height of the Tk window
TK_WINDOW = f"""
import tkinter as tk
root = tk.Tk()
root.title("still label, changing button")
root.geometry("{WINDOW[2]}x{WINDOW[3]}+{WINDOW[0]}+{WINDOW[1]}")
tk.Label(root, text="Clicks here change nothing", font=("DejaVu Sans", 16)).place(
    x=0, y=0, width={WINDOW[2] // 2}, height={WINDOW[3]})
count = tk.IntVar(value=0)
tk.Button(root, textvariable=count, command=lambda: count.set(count.get() + 1)).place(
    x={WINDOW[2] // 2}, y=0, width={WINDOW[2] // 2}, height={WINDOW[3]})
root.after(0, lambda: print("ready", flush=True))
root.mainloop()
"""


def targets(count: int, *, button: bool = False) -> list[tuple[int, int]]:
    """Points on the label (or the button), 40 px apart so the loop detector sees new targets."""
    left, top = WINDOW[0] + (WINDOW[2] // 2 if button else 0), WINDOW[1]
    return [(left + 50 + (i % 9) * 40, top + 80 + (i // 9 % 10) * 40) for i in range(count)]


@contextmanager
def still_desktop() -> Iterator[str]:
    display = PrivateDisplay.start(WIDTH, HEIGHT, first=120)
    app = subprocess.Popen(
        [sys.executable, "-c", TK_WINDOW],
        env={"DISPLAY": display.name, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # the first expose
        yield display.name
    finally:
        app.terminate()
        app.wait(timeout=5)
        display.stop()


def steady_allocator() -> None:
    """Free one block twice a frame's size: glibc raises its mmap threshold above it, so
    frame-sized buffers come from the heap from then on, as in a process that has run a while."""
    block = bytearray(4 * WIDTH * HEIGHT * 2)
    del block


def bare_steps(env: DesktopEnvironment, steps: int) -> list[float]:
    """mss grab into RGB plus an XTest click, on the driver's own connections."""
    from Xlib import X
    from Xlib.ext import xtest

    shooter = env.capture._mss  # the mss instance the driver grabs with
    monitor = env.capture.monitor
    display = env.binding._x11["_display"]  # the X connection the driver clicks through
    times = []
    for x, y in targets(steps):
        t0 = time.perf_counter()
        shot = shooter.grab(monitor)
        Image.frombuffer("RGB", shot.size, shot.raw, "raw", "BGRX", 0, 1)
        xtest.fake_input(display, X.MotionNotify, x=x, y=y)
        xtest.fake_input(display, X.ButtonPress, 1)
        xtest.fake_input(display, X.ButtonRelease, 1)
        display.sync()
        times.append(time.perf_counter() - t0)
    return times


def agent_steps(
    env: DesktopEnvironment, steps: int, out_dir: Path | None, *, button: bool = False
) -> tuple[list[float], list[StageTimes]]:
    """``steps`` clicks through the agent loop; per-step wall time and reported stage times."""
    points = targets(steps, button=button)
    clicks = [Click(at=Point(x=x, y=y, space=CoordSpace.SCREEN)) for x, y in points]
    stamps: list[float] = []
    stages: list[StageTimes] = []
    failed: list[str] = []

    def on_step(event: StepEvent) -> None:
        stamps.append(time.perf_counter())
        stages.append(event.times)
        failed.extend(o.message for o in event.outcomes if not o.ok)

    policy = ScriptedPolicy(clicks)
    agent = Agent(env, policy, AgentConfig(max_steps=steps), out_dir=out_dir, on_step=[on_step])
    result = agent.run("click the window", reset=False)
    assert result.steps == steps and not failed, (result, failed)
    # The first step includes the run's start (manifest, first observation); skip it.
    return [b - a for a, b in itertools.pairwise(stamps)], stages[1:]


VARIANTS = {
    "bare": "bare: mss grab -> RGB + XTest click",
    "plain": "agent step, defaults, no recording",
    "recorded": "agent step, defaults, recorded",
    "sampling": "agent step, sampling only, no recording",
    "changing": "agent step, click changes the screen",
}


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    stages: dict[str, list[StageTimes]] = {name: [] for name in VARIANTS if name != "bare"}
    with still_desktop() as display, tempfile.TemporaryDirectory() as tmp:
        env = DesktopEnvironment(DesktopConfig(display=display))
        sampling = DesktopEnvironment(DesktopConfig(display=display, settle_events=False))
        try:
            steady_allocator()
            bare_steps(env, 3)  # warm-up: shared memory, caches, the first look at the window
            agent_steps(env, 3, None)
            agent_steps(sampling, 3, None)
            for i in range(args.runs):
                times["bare"] += bare_steps(env, args.steps)
                runs = {
                    "plain": (env, None, False),
                    "recorded": (env, Path(tmp) / str(i), False),
                    "sampling": (sampling, None, False),
                    "changing": (env, None, True),
                }
                for name, (driver, out, button) in runs.items():
                    spent, st = agent_steps(driver, args.steps, out, button=button)
                    times[name] += spent
                    stages[name] += st
        finally:
            env.close()
            sampling.close()
    b = median_ms(times["bare"])
    print(f"desktop step at {WIDTH}x{HEIGHT}, medians of {len(times['bare'])} interleaved steps per variant")
    for name, label in VARIANTS.items():
        m = median_ms(times[name])
        print(f"  {label:<44} {m:7.1f} ms" + ("" if name == "bare" else f"  ({m / b:.1f}x bare)"))
    share = median_ms(times["recorded"]) - median_ms(times["plain"])
    print(f"  {'recording share of the recorded step':<44} {share:7.1f} ms")
    for name, reported in stages.items():
        parts = ", ".join(
            f"{field.removesuffix('_s')} {median_ms([getattr(t, field) for t in reported]):.1f}"
            for field in ("observe_s", "predict_s", "act_s", "settle_s", "effect_s")
        )
        checks = statistics.median(getattr(t, "settle_checks", 0) for t in reported)
        timeouts = sum(getattr(t, "settle_timeouts", 0) for t in reported)
        print(f"  stage medians, {name} (ms): {parts}; settle checks {checks:g}, timeouts {timeouts}")


if __name__ == "__main__":
    main()
