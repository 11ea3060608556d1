"""A run whose secrets occur inside its screenshot digests still reports every screenshot."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

from PIL import Image

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import RunResult
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.report import render_episode
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click, Terminate, TypeText
from screenpilot.tools.points import CoordSpace, Point

PASSWORD = "wonderland"
IMG = re.compile(r'<img src="data:image/(?:png|jpeg);base64,([A-Za-z0-9+/=]+)"')


def sign_in(out_dir: Path, secrets: dict[str, str], task: str) -> RunResult:
    """Sign in on the fake screen at scale 2, typing the password by reference."""
    env = FakeEnvironment(FakeConfig(scale_factor=2.0))

    def at(widget: str) -> Point:
        x, y = env.center_of(widget)
        return Point(x=x, y=y, space=CoordSpace.SCREEN)

    script = [
        Click(at=at("username")),
        TypeText(text="alice"),
        Click(at=at("password")),
        TypeText(secret="password"),
        Click(at=at("sign_in")),
        Terminate(status="success"),
    ]
    agent = Agent(
        env,
        ScriptedPolicy(script, name="sign-in"),
        AgentConfig(max_steps=10, settle_timeout_s=0),
        secrets=SecretStore(secrets),
        out_dir=out_dir,
    )
    try:
        return agent.run(task, run_id="run")
    finally:
        env.close()


def step_digests(run_dir: Path) -> list[str]:
    return [s["screenshot"] for s in load_run(run_dir).steps]


def test_report_keeps_every_screenshot_when_secrets_occur_in_digests(tmp_path: Path) -> None:
    first = sign_in(tmp_path / "plain", {"password": PASSWORD}, "Sign in as alice")
    assert first.status == "success" and first.run_dir is not None
    digests = step_digests(first.run_dir)
    assert len(digests) == 6 and all(re.fullmatch(r"[0-9a-f]{64}", d) for d in digests)

    # the same run again, with a secret inside every screenshot's digest and secrets that
    # spell field names of recorded actions
    pins = {f"pin{i}": d[7:11] for i, d in enumerate(digests)}
    secrets = {"password": PASSWORD, "field": "text", "key": "secret", **pins}
    task = f"Sign in as alice (PIN {pins['pin0']})"
    result = sign_in(tmp_path / "redacted", secrets, task)
    assert result.status == "success" and result.run_dir is not None
    run_dir = result.run_dir

    assert step_digests(run_dir) == digests
    assert all((run_dir / "shots" / f"{d}.png").is_file() for d in digests)
    run = load_run(run_dir)
    assert run.manifest["task"] == "Sign in as alice (PIN [secret:pin0])"
    typed = [o["action"] for s in run.steps for o in s["outcomes"] if o["action"]["action"] == "type"]
    assert typed == [
        {"action": "type", "text": "alice", "secret": None, "clear_first": False, "submit": False},
        {"action": "type", "text": None, "secret": "password", "clear_first": False, "submit": False},
    ]
    events = (run_dir / "events.jsonl").read_text()
    assert PASSWORD not in events
    kinds = [json.loads(line)["type"] for line in events.splitlines()]
    assert kinds[0] == "run_started" and kinds.count("step") == 6 and kinds[-1] == "run_finished"

    html = render_episode(run_dir, max_width=1600)
    assert "no screenshot" not in html
    images = [Image.open(io.BytesIO(base64.b64decode(data))) for data in IMG.findall(html)]
    assert len(images) == len(digests)
    assert all(img.size == (1600, 1200) for img in images)
