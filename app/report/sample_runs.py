"""Demo runs in the fake environment: for the README screenshots, the docs and tests.

The script clicks fields by their ground-truth centres (in two coordinate spaces), types,
drags, answers once with unparseable output, survives one failed action and signs in.
"""

from __future__ import annotations

import json
from pathlib import Path

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import RunResult
from screenpilot.environments.fake import FakeConfig, FakeEnvironment, FaultSpec, login_app
from screenpilot.model.scripted import ScriptedPolicy, ScriptItem
from screenpilot.model.types import Decision, Usage
from screenpilot.tools.actions import Action, Click, Drag, Terminate, TypeText
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import CoordSpace, Point

FAILING_ACTION = 5
"""0-based count of the executed action the demo's driver fails."""


def demo_env(scale_factor: float = 1.5) -> FakeEnvironment:
    """The login app on a HiDPI-like screen whose sixth action fails in the driver."""
    app = login_app().model_copy(update={"faults": FaultSpec(driver_error_at=(FAILING_ACTION,))})
    return FakeEnvironment(FakeConfig(app=app, scale_factor=scale_factor))


def _rel(env: FakeEnvironment, widget: str) -> Point:
    x, y = env.center_of(widget)
    return Point(x=x / env.app.width * 1000, y=y / env.app.height * 1000, space=CoordSpace.REL1000)


def _screen(env: FakeEnvironment, widget: str) -> Point:
    x, y = env.center_of(widget)
    return Point(x=x, y=y, space=CoordSpace.SCREEN)


def _said(thought: str, action: Action, tokens: int = 1200) -> Decision:
    """A decision with a Qwen3-VL style raw answer, as a real backend would record it."""
    call = {"name": "computer_use", "arguments": action.model_dump(mode="json", exclude_defaults=True)}
    raw = f"Thought: {thought}\nAction: {action.describe()}\n<tool_call>\n{json.dumps(call)}\n</tool_call>"
    usage = Usage(input_tokens=tokens, output_tokens=60, image_tokens=tokens - 200, calls=1)
    return Decision(actions=(action,), thought=thought, raw=raw, usage=usage, model="demo")


def demo_script(env: FakeEnvironment) -> list[ScriptItem]:
    """The demo's decisions, computed from ``env``'s ground truth (call before resetting)."""
    return [
        _said("The username field is empty; click it first.", Click(at=_rel(env, "username"))),
        _said("Type the user name.", TypeText(text="alice")),
        _said("Now the password field.", Click(at=_screen(env, "password"))),
        _said("Type the password.", TypeText(text="wonderland")),
        ModelOutputError("no <tool_call> found in the answer", raw="I think I should sign in now, maybe?"),
        _said(
            "Drag across the form to check nothing moves.",
            Drag(path=(_screen(env, "username_label"), _screen(env, "remember"))),
        ),
        _said("Sign in.", Click(at=_rel(env, "sign_in"))),
        _said("The click failed; try the button again.", Click(at=_rel(env, "sign_in"))),
        _said("Signed in: the dashboard is shown.", Terminate(status="success")),
    ]


def record_demo_run(out_dir: Path, *, scale_factor: float = 1.5, run_id: str | None = None) -> RunResult:
    """Run the demo script once and record it under ``out_dir``."""
    env = demo_env(scale_factor)
    policy = ScriptedPolicy(demo_script(env), name="demo-script")
    agent = Agent(
        env,
        policy,
        AgentConfig(max_steps=15, max_output_retries=0),
        out_dir=out_dir,
        manifest_extra={"environment": "fake", "task_name": "login"},
    )
    try:
        return agent.run("Sign in as alice with password wonderland", run_id=run_id)
    finally:
        env.close()
