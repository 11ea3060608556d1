"""The Qwen3-VL HTTP client's own time per step: prompt and images, JSON body, the reply.

Run: ``python -m devtools.perf.model_client [--runs N]``

A real OpenAI-compatible server on 127.0.0.1 (the tests' ``QwenTestServer``, here answering
at once without decoding the images) serves ``QwenPolicy.predict`` through the project's
HTTP backend, at 1280x800 and 1920x1080 (the default ``native`` budget sends both as they
are: Qwen3-VL answers relative to the image, and the server rounds 1080 to 1088 itself)
with 4 history screenshots, so every request carries 5 images. Client time is the wall
time of ``predict`` minus the server's own handling (parsing the body, answering), measured
in the server thread.

Variants, interleaved step by step, each with its own policy and its own screenshots:

- ``old``: the backend as it was: every image of every request encoded again (Pillow,
  zlib level 3) and the whole body handed to ``chat.completions.create``, which walks it
  against its typed schema and JSON-encodes the base64 of all 5 images again.
- ``desktop``: a screenshot without an encoding (a desktop capture): one encode per step,
  of the new screenshot; history images reuse theirs.
- ``browser``: a screenshot that arrived as PNG (Chromium's bytes, made outside the timing):
  at a size the model takes as is the bytes travel unchanged and nothing is encoded.

Prints medians and the ratio of each variant to ``old``.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import statistics
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from PIL import Image, ImageDraw

from screenpilot.agent.registry import create
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.encoded import remember_png
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatRequest, Completion
from screenpilot.model.backends.openai_http import OpenAIBackend, to_openai_messages
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.model.types import HistoryStep
from screenpilot.tools.actions import Click
from screenpilot.tools.points import Point
from tests.model.qwen_server import QwenTestServer

SCREENS = ((1280, 800), (1920, 1080))
HISTORY = 4
VARIANTS = ("old", "desktop", "browser")
ANSWER = (
    "Thought: the button.\n<tool_call>\n"
    + json.dumps({"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [500, 500]}})
    + "\n</tool_call>"
)


class InstantServer(QwenTestServer):
    """The tests' server, answering every request at once; records its own handling time."""

    def __init__(self) -> None:
        self.handling: list[float] = []
        super().__init__(lambda _: ANSWER)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        reply = json.dumps(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 6000, "completion_tokens": 30, "total_tokens": 6030},
            }
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", "0")))
                t0 = time.perf_counter()
                json.loads(raw)  # as a server must
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                server.handling.append(time.perf_counter() - t0)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        return Handler


def old_data_url(image: Image.Image) -> str:
    """The backend's encoder before: Pillow's PNG at zlib level 3, for every request."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=3)
    return f"data:image/png;base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


class OldBackend(OpenAIBackend):
    """The request path before: images encoded anew, the body through ``create``."""

    def complete(self, request: ChatRequest) -> Completion:
        payload: dict[str, Any] = {
            "model": self.config.model,
            "messages": to_openai_messages(request.messages, encode=old_data_url),
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        extra = {k: getattr(request, k) for k in ("top_k", "repetition_penalty") if getattr(request, k)}
        for key in ("top_p", "presence_penalty", "seed"):
            if getattr(request, key) is not None:
                payload[key] = getattr(request, key)
        if extra:
            payload["extra_body"] = extra
        return self._completion(self._client.chat.completions.create(**payload))


def screen(w: int, h: int, seed: int) -> Image.Image:
    """A user-interface-like screenshot: a header, a sidebar, text lines, buttons, a photo."""
    rng = random.Random(seed)
    img = Image.new("RGB", (w, h), (250, 250, 252))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 56], fill=(30, 60, 114))
    d.rectangle([0, 56, 240, h], fill=(243, 244, 246))
    for y in range(80, h - 20, 22):
        d.text((16, y), f"Section {rng.randrange(1000)}", fill=(40, 40, 160))
        d.text((260, y), " ".join(f"word{rng.randrange(10_000)}" for _ in range(w // 90)), fill="black")
    for _ in range(12):
        x, y = rng.randrange(260, w - 140), rng.randrange(70, h - 40)
        d.rounded_rectangle([x, y, x + 120, y + 32], 6, fill=(37, 99, 235), outline="black")
        d.text((x + 12, y + 10), f"Button {rng.randrange(99)}", fill="white")
    photo = Image.effect_mandelbrot((320, 200), (-2.0 + seed * 0.01, -1.0, 1.0, 1.0), 64).convert("RGB")
    img.paste(photo, (w - 360, h - 240))
    return img


def driver_copy(image: Image.Image) -> Image.Image:
    """``image`` as a browser driver hands it over: decoded from its own PNG, bytes kept."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=6)
    out = Image.open(io.BytesIO(buf.getvalue()))
    out.load()
    remember_png(out, buf.getvalue())
    return out


def observation(image: Image.Image) -> Observation:
    return Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(image.width, image.height),
        capabilities=Capabilities.of_screenshot(),
    )


class Runner:
    """One variant: its policy, its history and its screenshots."""

    def __init__(self, variant: str, server: InstantServer, shots: list[Image.Image]) -> None:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "m"})
        assert isinstance(policy, QwenPolicy)
        if variant == "old":
            backend = policy.backend
            assert isinstance(backend, OpenAIBackend)
            policy.backend = OldBackend(backend.config)
        self.policy = policy
        self.server = server
        self.shots = [driver_copy(s) for s in shots] if variant == "browser" else [s.copy() for s in shots]
        self.history: list[HistoryStep] = []

    def step(self, i: int) -> float:
        shot = self.shots[i]
        before = len(self.server.handling)
        t0 = time.perf_counter()
        decision = self.policy.predict("Open the settings", observation(shot), self.history)
        wall = time.perf_counter() - t0
        assert decision.actions, decision
        self.history = [
            *self.history[-(HISTORY - 1) :],
            HistoryStep(index=i, actions=(Click(at=Point(x=1, y=1)),), raw=ANSWER, screenshot=shot),
        ]
        return wall - sum(self.server.handling[before:])


def measure(w: int, h: int, runs: int) -> dict[str, list[float]]:
    shots = [screen(w, h, seed) for seed in range(runs + HISTORY)]
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    server = InstantServer()
    with server:
        runners = {v: Runner(v, server, shots) for v in VARIANTS}
        for i in range(runs + HISTORY):
            for v in VARIANTS if i % 2 else reversed(VARIANTS):
                t = runners[v].step(i)
                if i >= HISTORY:  # every request carries 5 images from here on
                    times[v].append(t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9, help="timed steps per variant and size")
    args = parser.parse_args()
    print(f"client time per step, 1 + {HISTORY} images per request, medians of {args.runs} steps")
    for w, h in SCREENS:
        times = measure(w, h, args.runs)
        old = statistics.median(times["old"])
        cells = [f"old {old * 1000:6.1f} ms"]
        for v in VARIANTS[1:]:
            m = statistics.median(times[v])
            cells.append(f"{v} {m * 1000:6.1f} ms ({old / m:4.1f}x faster)")
        print(f"{w}x{h}  " + "   ".join(cells))


if __name__ == "__main__":
    main()
