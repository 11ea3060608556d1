"""Per-step grounding latency at 1280x800: full OCR versus incremental OCR.

The bundled demo pages are opened in headless Chromium and a sign-in session is recorded
as six screenshots (typing a user name, a password, ticking a box, signing in, opening a
tab). Each frame comes with the target the next step looks for. The frames are then
replayed through the offline grounder with OCR forced on, once re-reading every frame in
full and once reading only the regions that changed, several times each.

    python -m devtools.perf.ocr_latency [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from dataclasses import dataclass

from PIL import Image

from screenpilot.app.demo_site.server import demo_pages, serve_directory
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.grounder import GrounderConfig, OfflineGrounder
from screenpilot.tools.perception.ocr import OcrEngine

WIDTH, HEIGHT = 1280, 800


@dataclass(frozen=True)
class Frame:
    image: Image.Image
    query: str
    role: str | None


def record_frames() -> list[Frame]:
    """Screenshots of a sign-in session on the bundled pages, with the next step's target."""
    from screenpilot.environments.browser.driver import playwright_driver

    frames: list[Frame] = []
    with serve_directory(demo_pages()) as base, playwright_driver() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})

        def shot(query: str, role: str | None = None) -> None:
            frames.append(Frame(Image.open(io.BytesIO(page.screenshot())).convert("RGB"), query, role))

        page.goto(f"{base}/login.html")
        shot("User name", "textbox")
        page.click("#user")
        page.keyboard.type("ada")
        shot("Password", "textbox")
        page.click("#password")
        page.keyboard.type("lovelace")
        shot("Keep me signed in", "checkbox")
        page.click("#remember")
        shot("Sign in", "button")
        page.click("button[type=submit]")
        page.wait_for_url("**/dashboard.html*")
        shot("Orders", "tab")
        page.click("#tab-orders")
        shot("open orders")
        browser.close()
    return frames


def replay(frames: list[Frame], grounder: OfflineGrounder) -> list[float]:
    """Seconds per step to ground each frame's target."""
    geometry = ScreenGeometry.simple(WIDTH, HEIGHT)
    caps = Capabilities.of_screenshot("browser")
    out = []
    for frame in frames:
        obs = Observation(screenshot=frame.image, geometry=geometry, capabilities=caps)
        t0 = time.perf_counter()
        found = grounder.find(obs, frame.query, role=frame.role)
        out.append(time.perf_counter() - t0)
        if not found:
            raise SystemExit(f"benchmark broken: {frame.query!r} not found")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    frames = record_frames()
    engine = OcrEngine()
    engine.read(frames[0].image)  # load the models outside the timings
    full: list[float] = []
    inc_all: list[float] = []
    inc_steady: list[float] = []
    for _ in range(args.runs):
        full += replay(
            frames, OfflineGrounder(GrounderConfig(ocr="always", incremental=False), engine=engine)
        )
        times = replay(frames, OfflineGrounder(GrounderConfig(ocr="always", incremental=True), engine=engine))
        inc_all += times
        inc_steady += times[1:]  # the first frame of a session is always a full read
    med_full = statistics.median(full)
    med_inc = statistics.median(inc_all)
    med_steady = statistics.median(inc_steady)
    print(f"frames per session: {len(frames)} at {WIDTH}x{HEIGHT}, runs: {args.runs}")
    print(f"full OCR per step:               median {med_full * 1000:8.1f} ms")
    print(f"incremental OCR per step:        median {med_inc * 1000:8.1f} ms (first frame included)")
    print(f"incremental OCR after the first: median {med_steady * 1000:8.1f} ms")
    ratio, steady = med_full / med_inc, med_full / med_steady
    print(f"speed-up (full / incremental):   {ratio:.1f}x, steady state {steady:.1f}x")


if __name__ == "__main__":
    main()
