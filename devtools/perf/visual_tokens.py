"""Visual tokens per agent step at each pixel-budget preset, and the cost of preparing images.

Run: ``python -m devtools.perf.visual_tokens [--runs N]`` (``--markdown``: only the table of
visual tokens per preset at common screen sizes that docs/models.md shows)

Part 1 prints, for 1280x800 and 1920x1080 screenshots, the size the model sees and the
visual tokens of one screenshot (Qwen3-VL: 32x32 pixels per token; Qwen2.5-VL: 28x28),
plus the tokens of a whole step with the default history of 4 replayed screenshots.
Part 2 times preparing one step's request body with 4 history images through the real
path (the Qwen3-VL prompt style, which resizes each screenshot once, and the HTTP
backend's ``body``, which encodes each image once and splices the cached data URLs into
the JSON), against resizing and PNG-encoding every image every step as the backend once
did (Pillow, zlib level 3; the JSON encoding of the data URLs left out of that side);
medians of ``--runs`` runs. ``python -m devtools.perf.model_client`` times whole requests
against a real local server.
"""

from __future__ import annotations

import argparse
import statistics
import time

from PIL import Image, ImageDraw

from devtools.perf.model_client import old_data_url
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatRequest
from screenpilot.model.backends.openai_http import OpenAIBackend, OpenAIBackendConfig
from screenpilot.model.imaging import resize_for_model, resized_size, visual_tokens
from screenpilot.model.qwen.imaging import BUDGET_PRESETS
from screenpilot.model.qwen.prompt_settings import PromptSettings
from screenpilot.model.qwen.styles.choose import make_style
from screenpilot.model.types import HistoryStep
from screenpilot.tools.actions import Click
from screenpilot.tools.points import Point

SCREENS = ((1280, 800), (1920, 1080))
HISTORY = 4
DOC_SCREENS = ((1280, 800), (1920, 1080), (2560, 1440), (3840, 2160), (1440, 3120))
"""Laptop, full HD, QHD, 4K, and a 1440x3120 phone."""


def markdown_table() -> None:
    """Qwen3-VL visual tokens (and the size sent) per preset and screen, as Markdown."""
    print("| preset | max tokens | " + " | ".join(f"{w}×{h}" for w, h in DOC_SCREENS) + " |")
    print("|---|---" + "|---" * len(DOC_SCREENS) + "|")
    for name, b in BUDGET_PRESETS.items():
        cells = []
        for w, h in DOC_SCREENS:
            size = resized_size(Size(width=w, height=h), 32, b)
            cells.append(f"{visual_tokens(size, 32):,} ({size.width}×{size.height})")
        print(f"| `{name}` | {b.max_tokens:,} | " + " | ".join(cells) + " |")


def token_table() -> None:
    print("visual tokens per screenshot (and per step with 4 history screenshots)")
    header = f"{'preset':8} {'max':>6} " + " ".join(
        f"{f'{w}x{h} q3 (size)':>26} {'step':>6}" for w, h in SCREENS
    )
    print(header)
    for name, b in BUDGET_PRESETS.items():
        cells = []
        for w, h in SCREENS:
            size = resized_size(Size(width=w, height=h), 32, b)
            tokens = visual_tokens(size, 32)
            cells.append(f"{tokens:>12} ({size.width}x{size.height}) {tokens * (HISTORY + 1):>6}".rjust(33))
        print(f"{name:8} {b.max_tokens:>6} " + " ".join(cells))
    print()
    print("Qwen2.5-VL (factor 28)")
    for name, b in BUDGET_PRESETS.items():
        cells = []
        for w, h in SCREENS:
            size = resized_size(Size(width=w, height=h), 28, b)
            cells.append(f"{w}x{h}: {visual_tokens(size, 28):>5} ({size.width}x{size.height})")
        print(f"{name:8} " + "   ".join(cells))


def screenshot(w: int, h: int, seed: int) -> Image.Image:
    img = Image.new("RGB", (w, h), (245, 246, 248))
    d = ImageDraw.Draw(img)
    for i in range(40):
        x, y = (seed * 97 + i * 131) % (w - 200), (seed * 53 + i * 71) % (h - 40)
        d.rectangle([x, y, x + 180, y + 30], fill=(30 + i * 5 % 200, 90, 200), outline="black")
        d.text((x + 6, y + 8), f"Button {seed}-{i}", fill="white")
    return img


def step_times(runs: int, w: int, h: int, preset: str) -> tuple[list[float], list[float]]:
    b = BUDGET_PRESETS[preset]
    shots = [screenshot(w, h, s) for s in range(runs + HISTORY)]
    plain, real = [], []
    style = make_style("cookbook", PromptSettings(budget=b, history_images=HISTORY))
    # the backend opens no connection until a request is sent
    backend = OpenAIBackend(OpenAIBackendConfig(base_url="http://127.0.0.1:9/v1", model="m"))
    history: list[HistoryStep] = []
    for step in range(runs + HISTORY):
        shot = shots[step]
        t0 = time.perf_counter()
        for im in shots[max(0, step - HISTORY) : step + 1]:
            old_data_url(resize_for_model(im, 32, b))
        t1 = time.perf_counter()
        obs = Observation(
            screenshot=shot,
            geometry=ScreenGeometry.simple(w, h),
            capabilities=Capabilities.of_screenshot(),
        )
        backend.body(ChatRequest(messages=style.build("Open the settings", obs, history).messages))
        t2 = time.perf_counter()
        if step >= HISTORY:
            plain.append(t1 - t0)
            real.append(t2 - t1)
        step_done = HistoryStep(index=step, actions=(Click(at=Point(x=1, y=1)),), screenshot=shot)
        history = [*history[-(HISTORY - 1) :], step_done]
    return plain, real


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", action="store_true", help="print only the docs table")
    args = parser.parse_args()
    if args.markdown:
        markdown_table()
        return
    token_table()
    print()
    print(f"request body per step, 1 + {HISTORY} screenshots, medians of {args.runs} steps")
    for (w, h), preset in (((1280, 800), "medium"), ((1920, 1080), "large")):
        plain, real = step_times(args.runs, w, h, preset)
        p, c = statistics.median(plain), statistics.median(real)
        print(
            f"{w}x{h} {preset:7} every image redone: {p * 1000:7.1f} ms   "
            f"prompt style + backend body: {c * 1000:7.1f} ms   ratio {p / c:4.1f}x"
        )


if __name__ == "__main__":
    main()
