"""Chromium's PNG is the screenshot's encoding: recorded byte for byte, sent as is, never
encoded again."""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.agent.trajectory import TrajectoryRecorder
from screenpilot.environments import png
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.model.backends.openai_http import data_url
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_chromiums_png_is_stored_and_sent_unchanged(
    env: BrowserEnvironment, server: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encodes: list[Image.Image] = []
    real = png.encode_png
    monkeypatch.setattr(png, "encode_png", lambda image: encodes.append(image) or real(image))
    env.goto(server.url("form.html"))
    obs = env.observe()
    chromium = obs.png_bytes()
    decoded = Image.open(io.BytesIO(chromium))
    assert decoded.convert("RGB").tobytes() == obs.screenshot.tobytes()
    recorder = TrajectoryRecorder(tmp_path / "run")
    digest = recorder.save_screenshot(obs)
    assert digest == hashlib.sha256(chromium).hexdigest() == obs.digest()
    assert (tmp_path / "run" / "shots" / f"{digest}.png").read_bytes() == chromium
    assert base64.b64decode(data_url(obs.screenshot).partition(",")[2]) == chromium
    assert encodes == []
