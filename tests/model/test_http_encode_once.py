"""Through a real server on 127.0.0.1: each screenshot is PNG-encoded at most once, however
many later requests replay it as history, and a driver's PNG travels as its own bytes."""

from __future__ import annotations

import base64
import io
import random

import pytest
from PIL import Image, ImageDraw

from screenpilot.agent.registry import create
from screenpilot.environments import png
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.encoded import remember_png
from screenpilot.environments.geometry import ScreenGeometry, convert
from screenpilot.environments.observation import Observation
from screenpilot.model.types import Decision, HistoryStep
from screenpilot.tools.actions import Click
from screenpilot.tools.points import CoordSpace, Point
from tests.model.oracle import tool_call_json
from tests.model.qwen_server import QwenTestServer, Request

ANSWER = tool_call_json("computer_use", {"action": "left_click", "coordinate": [500, 500]})
STEPS = 7


def answer(_: Request) -> str:
    return ANSWER


def screen(size: tuple[int, int], seed: int) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", size, (245, 246, 248))
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randrange(size[0] - 60), rng.randrange(size[1] - 20)
        draw.rectangle([x, y, x + 60, y + 20], fill=(rng.randrange(256), 90, 200))
    return image


def observation(image: Image.Image) -> Observation:
    return Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(image.width, image.height),
        capabilities=Capabilities.of_screenshot(),
    )


def counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    sizes: list[tuple[int, int]] = []
    real = png.encode_png

    def count(image: Image.Image) -> bytes:
        sizes.append(image.size)
        return real(image)

    monkeypatch.setattr(png, "encode_png", count)
    return sizes


def run_steps(server: QwenTestServer, shots: list[Image.Image], **options: object) -> list[Decision]:
    policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "m", **options})
    history: list[HistoryStep] = []
    decisions = []
    for i, shot in enumerate(shots):
        decision = policy.predict("Click the middle", observation(shot), history)
        assert decision.actions
        decisions.append(decision)
        history.append(
            HistoryStep(index=i, actions=(Click(at=Point(x=1, y=1)),), raw=ANSWER, screenshot=shot)
        )
    return decisions


def test_history_screenshots_are_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the ``medium`` budget 1920x1080 is resized to 1504x832: one encode of each."""
    encodes = counting(monkeypatch)
    shots = [screen((1920, 1080), seed) for seed in range(STEPS)]
    with QwenTestServer(answer) as server:
        run_steps(server, shots, budget="medium")
    assert server.errors == []
    assert [len(r.images) for r in server.requests] == [1, 2, 3, 4, 5, 5, 5]
    assert encodes == [(1504, 832)] * STEPS
    # what arrived is each step's screenshot as resized, pixel for pixel
    last = server.requests[-1].images
    for sent, shot in zip(last, shots[-5:], strict=True):
        assert sent.convert("RGB").tobytes() == shot.resize((1504, 832), Image.Resampling.BICUBIC).tobytes()


def test_a_screenshot_the_server_only_rounds_is_sent_at_its_own_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """1000x700 is 992x704 to Qwen3-VL: the server rounds it, so the client does not resize;
    the answer, relative to the image, lands where it would on the rounded one."""
    encodes = counting(monkeypatch)
    shots = [screen((1000, 700), seed) for seed in range(STEPS)]
    with QwenTestServer(answer) as server:
        decisions = run_steps(server, shots)
    assert server.errors == []
    assert encodes == [(1000, 700)] * STEPS
    click = decisions[-1].actions[0]
    assert isinstance(click, Click)
    at = convert(click.at, CoordSpace.IMAGE, observation(shots[-1]).geometry)
    assert (at.x, at.y) == (500, 350)
    # the usage counts the tokens of the image the model sees: 5 images of 31x22 tokens
    assert decisions[-1].usage.image_tokens == 5 * 31 * 22
    for sent, shot in zip(server.requests[-1].images, shots[-5:], strict=True):
        assert sent.convert("RGB").tobytes() == shot.tobytes()


def test_a_drivers_png_travels_as_its_own_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """At a size the model takes as is, the driver's PNG is sent unchanged: no encode at all."""
    encodes = counting(monkeypatch)
    delivered: list[bytes] = []
    shots: list[Image.Image] = []
    for seed in range(STEPS):
        buf = io.BytesIO()
        screen((1024, 640), seed).save(buf, format="PNG", compress_level=9)
        image = Image.open(io.BytesIO(buf.getvalue()))
        image.load()
        remember_png(image, buf.getvalue())
        delivered.append(buf.getvalue())
        shots.append(image)
    with QwenTestServer(answer) as server:
        run_steps(server, shots)
    assert server.errors == []
    assert encodes == []
    urls = [
        part["image_url"]["url"]
        for m in server.requests[-1].messages
        if isinstance(m["content"], list)
        for part in m["content"]
        if part["type"] == "image_url"
    ]
    assert [base64.b64decode(u.partition(",")[2]) for u in urls] == delivered[-5:]
