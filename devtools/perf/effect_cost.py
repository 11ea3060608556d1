"""Per-step cost of hit-testing and effect summaries, and of the popup handler's look.

Run: ``python -m devtools.perf.effect_cost [--runs N]``

For each platform one action is repeated ``runs`` times; around each execution the act
pipeline's two effect calls are timed on their own (``begin_effect``: hit-test and baseline
before the action; ``end_effect``: the summary after it settled), and the popup handler's
:meth:`find` on the observation the action was decided on. Browser: the demo sign-in page
in headless Chromium. Desktop: a private Xvfb with one Tk window. Android: the ADB simulator
(720x1600) in its form app. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from screenpilot.agent.popups import PopupHandler
from screenpilot.environments.base import Environment, SupportsEffects
from screenpilot.tools.actions import Action, Click
from screenpilot.tools.points import Point

Row = tuple[str, float, float, float, float]
"""platform, begin ms, end ms, popup look ms, a fresh observe ms (for scale)."""


def _ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def measure(name: str, env: Any, action: Action, runs: int, settle_s: float = 1.0) -> Row:
    """Median cost of the effect calls around ``action`` (and of the popup look) on ``env``."""
    assert isinstance(env, Environment) and isinstance(env, SupportsEffects)
    handler = PopupHandler()
    begin, end, look, observe = [], [], [], []
    for _ in range(runs):
        time.sleep(0.3)  # Android reuses the effect's own look for an observe right after it
        spent, obs = _ms(env.observe)
        observe.append(spent)
        look.append(_ms(partial(handler.find, obs))[0])
        begin.append(_ms(partial(env.begin_effect, action, obs))[0])
        env.execute(action)
        env.settle(settle_s)
        end.append(_ms(env.end_effect)[0])
    med = statistics.median
    return (name, med(begin), med(end), med(look), med(observe))


def dialog_read_ms(env: Any, runs: int) -> float:
    """Median time of the popup handler's look at a desktop dialog window it has not read yet
    (OCR of the window; the OCR model is loaded before timing)."""
    handler = PopupHandler()
    obs = env.observe()
    handler.find(obs)  # loads the OCR model
    reader = handler._windows
    assert reader is not None, "no dialog window on the screen"
    times = []
    for _ in range(runs):
        reader.forget()
        times.append(_ms(partial(handler.find, obs))[0])
    return statistics.median(times)


def browser_row(runs: int) -> Row:
    from screenpilot.app.demo_site.server import demo_pages, serve_directory
    from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment

    with serve_directory(demo_pages()) as base:
        env = BrowserEnvironment(BrowserConfig(start_url=f"{base}/login.html", settle_quiet_s=0.1))
        try:
            obs = env.reset()
            field = next(e for e in obs.elements if e.editable)
            return measure("browser (demo sign-in page)", env, Click(at=field.box.center), runs)
        finally:
            env.close()


DIALOG_APP = (
    "import tkinter as t; r=t.Tk(); r.geometry('600x400+40+40'); t.Button(r, text='Press').pack(pady=80); "
    "d=t.Toplevel(r); d.title('Rate this app'); d.geometry('420x150+300+220'); d.transient(r); "
    "t.Label(d, text='Enjoying the app? Please rate it.').pack(pady=14); "
    "[t.Button(d, text=x).pack(side='left', padx=40) for x in ('Rate now', 'Not now')]; r.mainloop()"
)


def desktop_row(runs: int) -> tuple[Row, float]:
    from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
    from screenpilot.environments.desktop.xvfb import PrivateDisplay

    display = PrivateDisplay.start(1280, 800)
    app = subprocess.Popen([sys.executable, "-c", DIALOG_APP], env={**os.environ, "DISPLAY": display.name})
    try:
        time.sleep(1.5)
        env = DesktopEnvironment(DesktopConfig(display=display.name, pause_s=0.0, abort_hotkey=()))
        try:
            row = measure("desktop (Xvfb 1280x800, Tk)", env, Click(at=Point(x=340, y=140)), runs)
            return row, dialog_read_ms(env, max(3, runs // 4))
        finally:
            env.close()
    finally:
        app.terminate()
        app.wait(5)
        display.stop()


def android_row(runs: int) -> Row:
    from screenpilot.environments.android.env import AndroidEnvironment
    from screenpilot.environments.android.options import AndroidOptions
    from screenpilot.environments.android.simulator import AdbSimulator, SimConfig, SimDevice

    with AdbSimulator(SimDevice(SimConfig(time_scale=0.02))) as sim:
        sim.device.launch("com.example.form")
        env = AndroidEnvironment(AndroidOptions(port=sim.port))
        try:
            field = next(e for e in env.observe().elements if e.id == "name")
            return measure("android (simulator 720x1600)", env, Click(at=field.box.center), runs)
        finally:
            env.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=("browser", "desktop", "android"))
    args = parser.parse_args()
    rows: list[Row] = []
    dialog = None
    if args.only in (None, "browser"):
        rows.append(browser_row(args.runs))
    if args.only in (None, "desktop"):
        row, dialog = desktop_row(args.runs)
        rows.append(row)
    if args.only in (None, "android"):
        rows.append(android_row(args.runs))
    print(f"effect and popup costs per step, median of {args.runs} steps (ms)")
    print(f"  {'platform':<30} {'hit-test':>9} {'summary':>9} {'total':>9} {'popup look':>11} {'observe':>9}")
    for name, begin, end, look, observe in rows:
        print(f"  {name:<30} {begin:9.1f} {end:9.1f} {begin + end:9.1f} {look:11.2f} {observe:9.1f}")
    if dialog is not None:
        print(f"  desktop popup look at a dialog window not read before (OCR): {dialog:.0f} ms")


if __name__ == "__main__":
    main()
