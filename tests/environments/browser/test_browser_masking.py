"""Password fields never reach a screenshot unmasked, even through a whole recorded run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.browser.capture import screenshot
from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate, TypeText
from screenpilot.tools.points import CoordSpace
from tests.environments.browser.helpers import by_attr_id, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "hunter2-Secret!"


def region(image: Image.Image, obs: Observation, dom_id: str) -> np.ndarray:
    box = box_to_space(by_attr_id(obs, dom_id).box, CoordSpace.IMAGE, obs.geometry)
    crop = image.crop((round(box.x0) + 2, round(box.y0) + 2, round(box.x1) - 2, round(box.y1) - 2))
    return np.asarray(crop.convert("RGB"), dtype=np.int16)


def type_password(env: BrowserEnvironment, server: PageServer) -> Observation:
    env.goto(server.url("form.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "pw"))))
    env.execute(TypeText(text=PASSWORD))
    return env.observe()


def test_password_is_masked_and_unmasked_render_differs(env: BrowserEnvironment, server: PageServer) -> None:
    obs = type_password(env, server)
    masked = region(obs.screenshot, obs, "pw")
    assert np.all(masked == 0), "the password field is not fully covered"
    plain_config = env.config.model_copy(update={"mask_passwords": False})
    unmasked = region(screenshot(env.page, plain_config, 10.0), obs, "pw")
    assert np.any(unmasked != 0) and np.any(np.abs(unmasked - masked) > 50)
    # nothing else is covered: the name field looks the same in both renders
    plain = screenshot(env.page, plain_config, 10.0)
    assert np.array_equal(region(obs.screenshot, obs, "name"), region(plain, obs, "name"))
    assert by_attr_id(obs, "pw").value == "•" * len(PASSWORD)


def test_show_password_toggle_stays_masked(env: BrowserEnvironment, server: PageServer) -> None:
    obs = type_password(env, server)
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "show"))))
    assert env.evaluate("document.getElementById('pw').type") == "text"
    after = env.observe()
    assert np.all(region(after.screenshot, after, "pw") == 0)
    assert by_attr_id(after, "pw").value == "•" * len(PASSWORD)


def test_recorded_run_never_saves_the_password(
    env: BrowserEnvironment, server: PageServer, tmp_path: Path
) -> None:
    env.goto(server.url("form.html"))

    def policy(
        task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action:
        if len(history) == 0:
            return Click(at=point_in(obs, by_attr_id(obs, "pw"), CoordSpace.REL1000))
        if len(history) == 1:
            return TypeText(secret="site_password")
        if len(history) == 2:
            return Click(at=point_in(obs, by_attr_id(obs, "show")))
        return Terminate(status="success")

    agent = Agent(
        env,
        FunctionPolicy(policy),
        AgentConfig(max_steps=6),
        secrets=SecretStore({"site_password": PASSWORD}),
        out_dir=tmp_path,
    )
    result = agent.run("sign in", reset=False)
    assert result.status == "success"
    assert env.evaluate("document.getElementById('pw').value") == PASSWORD
    obs = env.observe()
    shots = sorted((tmp_path / result.run_id / "shots").glob("*.png"))
    assert len(shots) >= 3
    for shot in shots:
        with Image.open(shot) as image:
            assert np.all(region(image, obs, "pw") == 0), shot.name
    for text_file in (tmp_path / result.run_id).glob("*.json*"):
        assert PASSWORD not in text_file.read_text(encoding="utf-8")
