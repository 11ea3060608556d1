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


def test_scripted_steps_on_a_static_page_never_decode_the_screenshot(
    env: BrowserEnvironment, server: PageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording, the loop check and the step itself work on Chromium's bytes alone."""
    from PIL import PngImagePlugin

    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.loop import Agent
    from screenpilot.model.scripted import ScriptedPolicy
    from screenpilot.tools.actions import Answer, Click
    from screenpilot.tools.points import CoordSpace, Point

    env.goto(server.url("tiny.html"))  # nothing moves; (900, 500) is blank
    decoded: list[object] = []
    real_load = PngImagePlugin.PngImageFile.load

    def counting_load(self: PngImagePlugin.PngImageFile):  # type: ignore[no-untyped-def]
        import traceback

        decoded.append("".join(traceback.format_stack(limit=6)))
        return real_load(self)

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", counting_load)
    inert = Click(at=Point(x=900, y=500, space=CoordSpace.SCREEN))
    policy = ScriptedPolicy([inert, inert, inert, Answer(text="done")])
    result = Agent(env, policy, AgentConfig(max_steps=6), out_dir=tmp_path).run("click", reset=False)
    assert result.status == "success" and result.steps == 4, result
    assert result.run_dir is not None and list(result.run_dir.glob("shots/*.png"))
    assert decoded == [], decoded[0]
