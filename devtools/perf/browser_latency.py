"""Latency of the browser environment: observe() parts and execute() at 1280x800, DPR 1 and 2.

Run with ``python -m devtools.perf.browser_latency [--runs N] [--executable PATH]``.
It prints medians (milliseconds) of ``--runs`` repetitions per measurement and the ratios
JPEG/PNG and DPR 2 / DPR 1. The page is generated locally (a form, a table of links, a
scroll area: about 250 interactive elements), so no network is needed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from urllib.parse import quote

from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.capture import screenshot, viewport_of
from screenpilot.environments.browser.elements import collect_elements
from screenpilot.tools.actions import Action, Click, KeyPress, Scroll, ScrollDirection, TypeText
from screenpilot.tools.points import CoordSpace, Point


def bench_page() -> str:
    rows = "".join(
        f"<tr><td><a href='#r{i}'>Row {i}</a></td><td><input type=checkbox id=c{i}></td>"
        f"<td><button>Edit {i}</button></td></tr>"
        for i in range(80)
    )
    html = (
        "<!doctype html><title>bench</title><body style='font:14px sans-serif'>"
        "<form style='position:fixed;right:20px;top:20px;background:#eee;padding:10px'>"
        "<input id=q placeholder=Search style='width:200px'> <input type=password id=pw>"
        "<select><option>a</option><option>b</option></select> <button id=go type=button>Go</button>"
        "</form><table>" + rows + "</table></body>"
    )
    return "data:text/html," + quote(html)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def measure(dpr: float, runs: int, executable: str | None) -> dict[str, float]:
    config = BrowserConfig(executable_path=executable, device_scale_factor=dpr, start_url=bench_page())
    env = BrowserEnvironment(config)
    try:
        obs = env.reset()
        page = env.page
        png, jpeg = config, config.model_copy(update={"screenshot_format": "jpeg"})
        viewport = viewport_of(page)
        go = next(e for e in obs.elements if e.attributes.get("id") == "go")
        field = next(e for e in obs.elements if e.attributes.get("id") == "q")
        at_go = Point(x=go.box.center.x, y=go.box.center.y, space=CoordSpace.SCREEN)
        env.execute(Click(at=field.box.center))

        def act(action: Action) -> Callable[[], object]:
            return lambda: env.execute(action)

        results = {
            "screenshot_png": median_ms(lambda: screenshot(page, png, 10.0), runs),
            "screenshot_jpeg": median_ms(lambda: screenshot(page, jpeg, 10.0), runs),
            "elements": median_ms(lambda: collect_elements(page, viewport), runs),
            "screenshot_png_nomask": median_ms(lambda: screenshot(page, png, 10.0, ()), runs),
            "observe_png": median_ms(env.observe, runs),
            "execute_click": median_ms(act(Click(at=at_go)), runs),
            "execute_key": median_ms(act(KeyPress(keys=("end",))), runs),
            "execute_type_5": median_ms(act(TypeText(text="hello", clear_first=True)), runs),
            "execute_scroll": median_ms(act(Scroll(direction=ScrollDirection.DOWN, amount=1)), runs),
            "settle_after_click": median_ms(lambda: (env.execute(Click(at=at_go)), env.settle(2.0)), runs),
        }
        results["elements_count"] = float(len(env.observe().elements))
        env.config = env.config.model_copy(update={"screenshot_format": "jpeg"})
        results["observe_jpeg"] = median_ms(env.observe, runs)
        return results
    finally:
        env.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--executable", default=None, help="Chromium binary (default: found)")
    args = parser.parse_args(argv)
    table = {dpr: measure(dpr, args.runs, args.executable) for dpr in (1.0, 2.0)}
    print(f"browser latency, 1280x800 viewport, median of {args.runs} runs (ms)")
    print(f"{'measurement':<22}{'DPR 1':>10}{'DPR 2':>10}{'2 / 1':>8}")
    for key in table[1.0]:
        a, b = table[1.0][key], table[2.0][key]
        print(f"{key:<22}{a:>10.1f}{b:>10.1f}{(b / a if a else 0):>8.2f}")
    for dpr in (1.0, 2.0):
        row = table[dpr]
        print(
            f"DPR {dpr:g}: JPEG/PNG screenshot {row['screenshot_jpeg'] / row['screenshot_png']:.2f}, "
            f"observe JPEG/PNG {row['observe_jpeg'] / row['observe_png']:.2f}"
        )


if __name__ == "__main__":
    main()
