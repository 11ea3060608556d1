"""A native <select> chosen by a policy that only looks at the screenshot's coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate
from screenpilot.tools.points import CoordSpace
from tests.environments.browser.helpers import find, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_select_option_through_the_agent(env: BrowserEnvironment, server: PageServer, tmp_path: Path) -> None:
    env.goto(server.url("select.html"))
    shots: list[Observation] = []

    def policy(
        task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action:
        shots.append(obs)
        options = [e for e in obs.elements if e.role == "option" and e.visible]
        if not history:
            combo = find(obs, lambda e: e.role == "combobox")
            return Click(at=point_in(obs, combo, CoordSpace.REL1000))
        if options:
            banana = next(e for e in options if e.text == "Banana")
            return Click(at=point_in(obs, banana, CoordSpace.REL1000))
        return Terminate(status="success")

    result = Agent(env, FunctionPolicy(policy), AgentConfig(max_steps=5), out_dir=tmp_path).run(
        "choose Banana", reset=False
    )
    assert result.status == "success" and result.steps == 3
    assert env.evaluate("document.getElementById('fruit').value") == "banana"
    assert env.evaluate("document.getElementById('out').textContent") == "chose banana"
    # the open list was visible in the screenshot the policy saw, not only in the elements
    opened = shots[1]
    listbox = find(opened, lambda e: e.role == "listbox")
    before, during = np.asarray(shots[0].screenshot), np.asarray(opened.screenshot)
    y0, y1 = round(listbox.box.y0), round(listbox.box.y1)
    x0, x1 = round(listbox.box.x0), round(listbox.box.x1)
    assert np.abs(before[y0:y1, x0:x1].astype(int) - during[y0:y1, x0:x1].astype(int)).max() > 100
    assert not any(e.role == "option" for e in shots[2].elements)


def test_disabled_option_and_escape(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("select.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, find(obs, lambda e: e.role == "combobox"))))
    opened = env.observe()
    cherry = find(opened, lambda e: e.role == "option" and e.text == "Cherry")
    assert cherry.enabled is False
    env.execute(Click(at=point_in(opened, cherry)))
    assert env.evaluate("document.getElementById('fruit').value") == ""
    from screenpilot.tools.actions import KeyPress

    env.execute(KeyPress(keys=("escape",)))
    assert not any(e.role == "option" for e in env.observe().elements)


def test_second_press_closes_the_list(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("select.html"))
    obs = env.observe()
    combo = point_in(obs, find(obs, lambda e: e.role == "combobox"))
    env.execute(Click(at=combo))
    assert any(e.role == "option" for e in env.observe().elements)
    env.execute(Click(at=combo))
    assert not any(e.role == "option" for e in env.observe().elements)
