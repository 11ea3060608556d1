"""Per-step cost of the agent loop in the browser against bare Playwright, on a static page.

Run: ``python -m devtools.perf.browser_step [--runs N] [--rounds R]``

A static local page at 1280x800 in headless Chromium (the project's launch). Each round
runs ``runs`` steps of each variant, the variants interleaved round by round:

- ``bare``: ``page.screenshot()`` (PNG) and ``page.mouse.click`` on an inert spot;
- ``bare-cdp``: the capture the environment makes on a page without password fields
  (``Page.captureScreenshot`` with ``optimizeForSpeed`` on a DevTools session) and the
  same click: the loop's overhead over its own capture;
- ``loop+record``: the real :class:`~agent.loop.Agent` with default settings (the repeat
  detector runs but may not end the run) and a scripted policy that clicks the same
  spot: observe, act (guards, hit-test, execute, settle, effect summary) and the
  trajectory (screenshot and event lines);
- ``loop``: the same without recording.

A step's time is the time between consecutive step callbacks (the bare variant: one
screenshot and one click). It prints the median per variant, its ratio to bare, and the
medians of the loop's own stage times (observe, act, settle, effect) with the settle checks.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from screenpilot.agent.config import AgentConfig, LoopConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import StepEvent
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point

WIDTH, HEIGHT = 1280, 800
SPOT = (900.0, 600.0)
"""An inert spot of the page: nothing listens there and nothing changes."""


def static_page() -> str:
    items = "".join(f"<li><a href='#i{i}'>Item {i}</a> <button>Open {i}</button></li>" for i in range(30))
    html = (
        "<!doctype html><title>static</title><body style='font:14px sans-serif'>"
        "<h1>A static page</h1><form><input placeholder=Search> <button type=button>Go</button></form>"
        f"<ul style='width:600px'>{items}</ul></body>"
    )
    return "data:text/html," + quote(html)


def bare_steps(env: BrowserEnvironment, runs: int) -> list[float]:
    page = env.page
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        page.screenshot()
        page.mouse.click(*SPOT)
        times.append(time.perf_counter() - t0)
    return times


def bare_cdp_steps(env: BrowserEnvironment, runs: int) -> list[float]:
    page = env.page
    session = page.context.new_cdp_session(page)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        reply = session.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
        base64.b64decode(reply["data"])
        page.mouse.click(*SPOT)
        times.append(time.perf_counter() - t0)
    session.detach()
    return times


class _Timer:
    """Step callback: the time between consecutive steps, and each step's event."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.steps: list[float] = []
        self.events: list[StepEvent] = []

    def __call__(self, event: StepEvent) -> None:
        now = time.perf_counter()
        self.steps.append(now - self.last)
        self.last = now
        self.events.append(event)


def loop_steps(env: BrowserEnvironment, runs: int, out: Path | None) -> tuple[list[float], list[StepEvent]]:
    click = Click(at=Point(x=SPOT[0], y=SPOT[1], space=CoordSpace.SCREEN))
    # one more step than timed: the first interval includes the run's start
    policy = ScriptedPolicy([click] * (runs + 1))
    timer = _Timer()
    # the repeat detector stays on (its cost is part of a step) but may not stop the run
    loop = LoopConfig(nudge_after=runs + 2, stop_after=runs + 2)
    config = AgentConfig(max_steps=runs + 1, record_screenshots=out is not None, loop=loop)
    agent = Agent(env, policy, config, out_dir=out, on_step=[timer])
    timer.last = time.perf_counter()
    result = agent.run("click the same spot", reset=False)
    assert result.steps == runs + 1, result.reason
    return timer.steps[1:], timer.events[1:]


def _ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="steps per variant and round")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    config = BrowserConfig(start_url=static_page(), viewport_width=WIDTH, viewport_height=HEIGHT)
    env = BrowserEnvironment(config)
    samples: dict[str, list[float]] = {"bare": [], "bare-cdp": [], "loop+record": [], "loop": []}
    events: list[StepEvent] = []
    try:
        env.reset()
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(args.rounds):
                samples["bare"] += bare_steps(env, args.runs)
                samples["bare-cdp"] += bare_cdp_steps(env, args.runs)
                steps, seen = loop_steps(env, args.runs, Path(tmp) / f"r{r}")
                samples["loop+record"] += steps
                events += seen
                steps, seen = loop_steps(env, args.runs, None)
                samples["loop"] += steps
                events += seen
    finally:
        env.close()
    bare = _ms(samples["bare"])
    what = f"median of {args.rounds} rounds x {args.runs} steps (ms)"
    print(f"browser step, static page {WIDTH}x{HEIGHT}: {what}")
    for name, values in samples.items():
        print(f"  {name:<12} {_ms(values):8.1f}  {_ms(values) / bare:5.2f}x bare")
    stages = ("observe_s", "act_s", "settle_s", "effect_s")
    parts = "  ".join(f"{s[:-2]} {_ms([getattr(e.times, s) for e in events]):.1f}" for s in stages)
    checks = [o.settle.checks for e in events for o in e.outcomes if o.settle is not None]
    print(f"  loop stages: {parts}; settle checks: median {statistics.median(checks):g}, max {max(checks)}")


if __name__ == "__main__":
    main()
