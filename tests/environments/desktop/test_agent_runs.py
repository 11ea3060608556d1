"""Whole agent runs on the desktop: a scripted policy, a function policy facing a random
dialog, and the ``screenpilot run`` command."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.app.cli.main import main as cli_main
from screenpilot.environments.desktop import DesktopEnvironment
from screenpilot.environments.geometry import ScreenGeometry, convert
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy, ScriptedPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Drag, KeyPress, Terminate, TypeText
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.desktop.helpers import TkApp, start_tk_app, stop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def rel(point: Point, geometry: ScreenGeometry) -> Point:
    """A point as Qwen3-VL would say it: integers in relative 0-1000."""
    p = convert(point, CoordSpace.REL1000, geometry)
    return Point(x=round(p.x), y=round(p.y), space=CoordSpace.REL1000)


def slider_point(state: dict[str, Any], fraction: float) -> Point:
    box, (x0, y0, x100, _) = state["boxes"]["slider"], state["slider_coords"]
    return Point(x=box["x"] + x0 + (x100 - x0) * fraction, y=box["y"] + y0)


def form_script(app: TkApp, g: ScreenGeometry) -> list[Action | list[Action]]:
    s = app.state()
    return [
        Click(at=rel(app.center("name"), g)),
        TypeText(text="Grace Hopper"),
        [Click(at=rel(app.center("city"), g)), TypeText(text="上海")],
        Click(at=rel(app.center("check"), g)),
        Drag(path=(rel(slider_point(s, 0.0), g), rel(slider_point(s, 0.4), g))),
        KeyPress(keys=("ctrl", "s")),
        Click(at=rel(app.center("submit"), g)),
        Terminate(status="success"),
    ]


def test_scripted_policy_fills_and_submits_the_form(
    desktop: DesktopEnvironment, tk_app: TkApp, tmp_path: Path
) -> None:
    g = desktop.observe().geometry
    agent = Agent(
        desktop, ScriptedPolicy(form_script(tk_app, g)), AgentConfig(max_steps=12), out_dir=tmp_path
    )
    result = agent.run("Fill in the form for Grace Hopper in Shanghai, subscribed, level 40, and submit")
    assert result.status == "success", result.reason
    state = tk_app.wait(lambda s: len(s["submits"]) == 1 and s["chords"] == ["ctrl+s"])
    submitted = state["submits"][0]
    assert submitted["name"] == "Grace Hopper" and submitted["city"] == "上海" and submitted["subscribe"]
    assert abs(submitted["level"] - 40) <= 1
    assert state["chords"] == ["ctrl+s"]
    events = [json.loads(line) for line in next(tmp_path.glob("*/events.jsonl")).read_text().splitlines()]
    assert any(e.get("title") == "Screenpilot Tk test app" for e in events)


def test_function_policy_finishes_despite_a_random_dialog(
    desktop: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path
) -> None:
    app = start_tk_app(child_env, tmp_path, "--seed", "7", "--popup-after", "1", "3")
    popup_at = app.state()["popup_at"]
    assert 1 <= popup_at <= 3

    expected: list[Callable[[dict[str, Any]], bool]] = []

    def decide(
        task: str, obs: Observation, history: Sequence[HistoryStep], feedback: Sequence[Feedback]
    ) -> Action | list[Action]:
        # Ground truth stands in for perception; every action still goes through the
        # screenshot's relative space and real X input. The app handles events on its own
        # schedule, so first wait until it shows the effect of the previous decision.
        if expected:
            app.wait(expected.pop())
        s, g = app.state(), obs.geometry
        if s["dialog"] is not None:
            ok = s["dialog"]["ok"]
            expected.append(lambda s: s["dialog"] is None)
            return Click(at=rel(Point(x=ok["x"] + ok["w"] / 2, y=ok["y"] + ok["h"] / 2), g))
        if s["name"] != "Alan Turing":
            expected.append(lambda s: s["name"] == "Alan Turing")
            return [Click(at=rel(app.center("name"), g)), TypeText(text="Alan Turing")]
        if not s["subscribe"]:
            expected.append(lambda s: s["subscribe"])
            return Click(at=rel(app.center("check"), g))
        if not s["submits"]:
            expected.append(lambda s: bool(s["submits"]))
            return Click(at=rel(app.center("submit"), g))
        return Terminate(status="success")

    try:
        agent = Agent(desktop, FunctionPolicy(decide), AgentConfig(max_steps=10), out_dir=None)
        result = agent.run("Enter Alan Turing, subscribe and submit; close any dialog")
        assert result.status == "success", result.reason
        state = app.state()
        assert state["dialogs_closed"] == 1
        assert state["submits"][-1]["name"] == "Alan Turing" and state["submits"][-1]["subscribe"]
    finally:
        stop(app.proc)


def test_screenpilot_run_with_env_desktop(xvfb: str, tk_app: TkApp, tmp_path: Path) -> None:
    g = ScreenGeometry.simple(1280, 800)  # the private Xvfb's screen, which the CLI will capture
    script = tmp_path / "steps.jsonl"
    steps = [
        Click(at=rel(tk_app.center("name"), g)),
        TypeText(text="from the CLI"),
        Click(at=rel(tk_app.center("submit"), g)),
        Terminate(status="success"),
    ]
    script.write_text("\n".join(s.model_dump_json() for s in steps), encoding="utf-8")
    code = cli_main(
        [
            "run",
            "submit the form",
            "--env",
            "desktop",
            "-E",
            f"display={xvfb}",
            "-E",
            "abort_hotkey=none",
            "--policy",
            "script",
            "-P",
            f"file={script}",
            "--out",
            str(tmp_path / "runs"),
            "--quiet",
        ]
    )
    assert code == 0
    assert tk_app.wait(lambda s: len(s["submits"]) == 1)["submits"][0]["name"] == "from the CLI"
