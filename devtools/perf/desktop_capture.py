"""Desktop capture and action latency at 1920x1080: mss against ``pyautogui.screenshot()``.

Run: ``python -m devtools.perf.desktop_capture [--runs N] [--display :N]``

Without ``--display`` it starts its own Xvfb (1920x1080x24) on a free display number and
stops it at the end. Printed numbers are medians over ``--runs`` repetitions:

* mss raw grab (BGRA bytes) and mss grab into an RGB PIL image (what the driver does);
* ``pyautogui.screenshot()`` (pyscreeze: scrot on X11 unless gnome-screenshot is installed);
* ``DesktopEnvironment.observe()`` (grab + active-window query);
* ``execute()`` of a pointer move, a click on the empty root window, and typing 10 ASCII
  characters, with the driver's defaults.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.desktop.xvfb import PrivateDisplay
from screenpilot.tools.actions import Click, MouseMove, TypeText
from screenpilot.tools.points import Point


@contextmanager
def own_xvfb(width: int, height: int) -> Iterator[str]:
    """A private Xvfb on the first free display number from :120."""
    display = PrivateDisplay.start(width, height, first=120)
    try:
        yield display.name
    finally:
        display.stop()


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: first grabs set up shared memory and caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def measure(display: str, runs: int) -> dict[str, float]:
    # pyscreeze (behind pyautogui.screenshot) reads $DISPLAY and, at import, $XDG_SESSION_TYPE
    # to decide that scrot may be used; this script is the edge, so it sets both.
    os.environ["DISPLAY"] = display
    os.environ.setdefault("XDG_SESSION_TYPE", "x11")
    env = DesktopEnvironment(DesktopConfig(display=display))
    try:
        mon = env.capture.monitor
        raw = env.capture._mss  # the same mss instance the driver uses
        results = {
            "mss raw grab": median_ms(lambda: raw.grab(mon), runs),
            "mss grab -> PIL RGB": median_ms(env.capture.grab_image, runs),
        }
        pg = env.binding.pg
        results["pyautogui.screenshot()"] = median_ms(pg.screenshot, runs)
        results["observe()"] = median_ms(env.observe, runs)
        env.observe()
        points = iter([Point(x=200 + (i % 50) * 10, y=300) for i in range(10 * runs + 10)])
        results["execute(mouse_move)"] = median_ms(lambda: env.execute(MouseMove(at=next(points))), runs)
        results["execute(click)"] = median_ms(lambda: env.execute(Click(at=Point(x=900, y=700))), runs)
        results["execute(type 10 chars)"] = median_ms(lambda: env.execute(TypeText(text="abcdefghij")), runs)
        return results
    finally:
        env.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--display", help="use this X display instead of a private Xvfb")
    args = parser.parse_args()
    # scrot writes its PNG into the working directory before pyscreeze reads it back.
    os.chdir(tempfile.mkdtemp(prefix="screenpilot-bench-"))
    if args.display:
        results = measure(args.display, args.runs)
    else:
        with own_xvfb(1920, 1080) as display:
            results = measure(display, args.runs)
    print(f"desktop capture and latency at 1920x1080, medians of {args.runs} runs")
    for name, ms in results.items():
        print(f"  {name:<26} {ms:8.1f} ms")
    ratio = results["pyautogui.screenshot()"] / results["mss grab -> PIL RGB"]
    print(f"  pyautogui.screenshot() / mss grab -> PIL: {ratio:.1f}x")
    step = results["observe()"] + results["execute(click)"]
    print(f"  observe + click (one step's driver time): {step:.1f} ms")


if __name__ == "__main__":
    main()
