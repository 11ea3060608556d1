"""Honest outcomes in the browser: what each action hit and changed is recorded and fed
back; a click on a covered target fails; a navigation the allowlist blocks fails the run;
a start page that does not load stops the run at once (exit 6); a task naming an unknown
secret is a usage error (exit 2) before anything runs."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.cli.main import main
from screenpilot.app.report.episode import render_episode
from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Scroll, ScrollDirection, Terminate
from screenpilot.tools.errors import PageLoadFailed
from screenpilot.tools.points import Point
from tests.environments.browser.conftest import make_env
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = ["-E", "executable_path=/usr/bin/chromium"]


def _click(obs: Observation, dom_id: str) -> Click:
    return Click(at=next(e for e in obs.elements if e.attributes.get("id") == dom_id).box.center)


def test_effects_are_recorded_and_fed_back(
    env: BrowserEnvironment, server: PageServer, tmp_path: Path
) -> None:
    """No popup handler: the covered click fails and says what covers what; the clicks after
    it report what they changed."""
    plan = ["report", "accept", "report"]
    seen: list[tuple[Feedback, ...]] = []

    def decide(task: str, obs: Observation, h: Sequence[HistoryStep], f: Sequence[Feedback]) -> Action:
        seen.append(tuple(f))
        return _click(obs, plan[len(h)]) if len(h) < len(plan) else Terminate(status="success")

    policy = FunctionPolicy(decide)
    env.goto(server.url("popups/cookie_wall.html"))
    result = Agent(env, policy, AgentConfig(max_steps=6), out_dir=tmp_path).run("report", reset=False)
    assert result.status == "success" and env.evaluate("window.done === true")
    covered = [f for f in seen[1] if f.kind == "action_error"]
    assert (
        covered and "div#wall" in covered[0].message and "covers link 'Download report'" in covered[0].message
    )
    assert covered[0].effect is not None and covered[0].effect.covered
    accepted = next(f for f in seen[2] if f.kind == "effect")
    assert "button 'Accept all'" in accepted.message and "dom" in accepted.message
    assert "scroll" not in accepted.message  # the wall went; nothing scrolled
    landed = next(f for f in seen[3] if f.kind == "effect")
    assert landed.effect is not None and landed.effect.hit is not None and not landed.effect.hit.covered
    assert (
        landed.effect.of("focus") is not None and landed.effect.of("dom") is not None
    )  # "Report downloaded"
    assert result.run_dir is not None
    outcomes = [o for e in load_run(result.run_dir).steps for o in e["outcomes"]]
    assert [o["error_type"] for o in outcomes[:3]] == ["TargetCovered", None, None]
    assert outcomes[0]["effect"]["hit"]["layer"] == "backdrop"
    assert "which covers link" in render_episode(result.run_dir)


def test_a_scroll_reports_that_it_scrolled(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("scroll.html"))
    obs = env.observe()
    scroll = Scroll(direction=ScrollDirection.DOWN, amount=3, at=Point(x=200, y=160))  # the list
    env.begin_effect(scroll, obs)
    env.execute(scroll)
    env.settle(1.0)
    effect = env.end_effect()
    assert effect.of("scroll") is not None and effect.changed, effect.summary()


def test_a_blocked_navigation_fails_the_run(
    server: PageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sum(1 for host, _ in server.requests if host.startswith("localhost"))
    code = main(
        [
            "run",
            'click "Visit our partner"',
            "--url",
            server.url("popups/outbound.html"),
            "--allow-domain",
            "127.0.0.1",
            *CHROMIUM,
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert out.startswith("failure:") and "was blocked" in out and "localhost" in out
    assert sum(1 for host, _ in server.requests if host.startswith("localhost")) == before
    (run_dir,) = tmp_path.iterdir()
    outcomes = [o for e in load_run(run_dir).steps for o in e["outcomes"] if o["action"]["action"] == "click"]
    assert outcomes and all(o["error_type"] == "ActionRejected" for o in outcomes)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_start_page_that_does_not_load_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    t0 = time.monotonic()
    code = main(["run", 'click "Sign in"', "--url", url, *CHROMIUM, "--out", str(tmp_path), "--quiet"])
    wall = time.monotonic() - t0
    out = capsys.readouterr().out
    assert code == 6, out
    assert "net::ERR_CONNECTION_REFUSED" in out and "PageLoadFailed" in out
    (run_dir,) = tmp_path.iterdir()
    result = json.loads((run_dir / "result.json").read_text(encoding="utf-8"))
    assert result["status"] == "error" and result["steps"] == 0
    assert result["elapsed_s"] < 3.0 and wall < 10.0


def test_an_http_error_start_page_does_not_count_as_loaded(server: PageServer) -> None:
    env = make_env(start_url=server.url("status/404"))
    try:
        with pytest.raises(PageLoadFailed, match="HTTP 404"):
            env.reset()
    finally:
        env.close()


def test_an_unknown_secret_in_the_task_is_a_usage_error(
    server: PageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = len(server.requests)
    task = 'type "{{secret:password}}" into "Password"'
    code = main(["run", task, "--url", server.url("form.html"), *CHROMIUM, "--out", str(tmp_path / "runs")])
    err = capsys.readouterr().err
    assert code == 2
    assert "'password'" in err and "SCREENPILOT_SECRET_PASSWORD" in err
    assert not (tmp_path / "runs").exists() and len(server.requests) == served  # nothing ran, nothing typed
