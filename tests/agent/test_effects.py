"""Effects decide outcomes and reach the policy: a covered target fails, a blocked navigation
is rejected, and every other effect becomes one short feedback line (rendered in the
Qwen-VL prompt). Pixel measures, secret references and the report's failed last step."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from screenpilot.agent.act import Actor
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore, check_references, secret_references
from screenpilot.app.report.episode import render_episode
from screenpilot.environments.effects import Change, Effect, Hit, screen_change
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.model.qwen.prompt import PromptBuilder, PromptSettings
from screenpilot.model.qwen.prompt_text import load_prompt_text
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.model.types import Feedback
from screenpilot.tools.actions import Action, Click, Terminate, TypeText
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Point

WALL = Hit(element="div#wall", target="link 'Report'", covered=True, layer="backdrop")


class MeasuredFake(FakeEnvironment):
    """The fake GUI reporting the effects it is told to (the browser tests measure real ones)."""

    def __init__(self, effects: Sequence[Effect]) -> None:
        super().__init__()
        self.effects = list(effects)
        self.begun: list[Action] = []

    def begin_effect(self, action: Action, before: Observation) -> None:
        self.begun.append(action)

    def end_effect(self) -> Effect:
        return self.effects.pop(0) if self.effects else Effect()


def test_summaries_say_what_was_hit_and_what_changed() -> None:
    covered = Effect(hit=WALL)
    assert covered.covered and not covered.changed
    assert covered.summary("click") == (
        "the click landed on div#wall (backdrop), which covers link 'Report'; nothing changed"
    )
    moved = Effect(hit=Hit(element="link 'Report'"), changes=(Change(kind="url", detail="to /r"),))
    assert moved.summary("click") == "the click landed on link 'Report'; changed: url to /r"
    blocked = Effect(changes=(Change(kind="blocked", detail="navigation to x was blocked"),))
    assert not blocked.changed and blocked.summary() == "navigation to x was blocked"
    dismissed = Effect(hit=WALL, changes=(Change(kind="dom", detail="3 DOM mutations"),))
    assert not dismissed.covered  # a click on a backdrop that closed it did something
    blurred = Effect(hit=WALL, changes=(Change(kind="blur", detail="text field 'Name' lost the focus"),))
    assert blurred.covered  # losing the focus to the page is not what a click is for
    assert blurred.summary("click").endswith("nothing changed; only: blur text field 'Name' lost the focus")


def test_screen_change_is_measured_around_the_point_and_as_a_whole() -> None:
    before = Image.new("RGB", (400, 300), "white")
    after = before.copy()
    ImageDraw.Draw(after).rectangle((190, 140, 210, 160), fill="black")
    near = screen_change(before, after, (200, 150))
    far = screen_change(before, after, (20, 20))
    assert near.changed and near.local is not None and near.local > 0.02
    assert far.local == 0.0 and 0 < far.whole < 0.01
    assert not screen_change(before, before.copy(), (200, 150)).changed


def test_the_act_pipeline_fails_covered_and_blocked_actions() -> None:
    blocked = Effect(changes=(Change(kind="blocked", detail="navigation to http://x/ was blocked"),))
    env = MeasuredFake([Effect(hit=WALL), blocked, Effect(hit=Hit(element="button 'Go'"))])
    obs = env.reset()
    actor = Actor(env)
    click = Click(at=Point(x=10, y=10))
    covered = actor.act(click, obs, settle_timeout_s=0)
    assert covered.outcome.error_type == "TargetCovered" and "covers link 'Report'" in covered.outcome.message
    assert actor.act(click, obs, settle_timeout_s=0).outcome.error_type == "ActionRejected"
    fine = actor.act(click, obs, settle_timeout_s=0)
    assert (
        fine.ok and fine.feedback() == "click(at=(10, 10)): the click landed on button 'Go'; nothing changed"
    )
    assert fine.times.effect_s >= 0 and len(env.begun) == 3


def test_effects_reach_the_policy_and_covered_clicks_end_the_run(tmp_path: Path) -> None:
    env = MeasuredFake(
        [Effect(hit=Hit(element="button 'Go'"), changes=(Change(kind="dom"),))] + [Effect(hit=WALL)] * 3
    )
    click = Click(at=Point(x=10, y=10))
    policy = ScriptedPolicy([click, click, click, click])
    config = AgentConfig(max_steps=6, max_consecutive_failures=3, settle_timeout_s=0)
    result = Agent(env, policy, config, out_dir=tmp_path).run("go")
    assert result.status == "failure"
    assert result.reason.startswith("3 consecutive failed steps; the last: the click landed on div#wall")
    kinds = [[f.kind for f in feedback] for _, feedback in policy.calls]
    assert kinds[1] == ["effect"] and kinds[2] == ["action_error"]
    assert policy.calls[2][1][0].effect is not None and policy.calls[2][1][0].effect.covered
    assert result.run_dir is not None
    html = render_episode(result.run_dir)
    assert "which covers link" in html and "The run ended here: failure" in html
    chips = html[html.index('class="chips"') :]
    assert chips.count('class="chip fail"') == 3 and chips.rindex("chip fail") > chips.rindex("chip ok")


def test_a_successful_run_keeps_its_last_chip_green(tmp_path: Path) -> None:
    env = MeasuredFake([])
    result = Agent(env, ScriptedPolicy([Terminate(status="success")]), out_dir=tmp_path).run("done")
    assert result.run_dir is not None and "chip fail" not in render_episode(result.run_dir)


def test_effect_feedback_is_rendered_in_the_qwen_prompt() -> None:
    env = FakeEnvironment()
    obs = env.reset()
    builder = PromptBuilder(load_prompt_text(), PromptSettings())
    line = "click(at=(10, 10)): the click landed on div#wall, which covers link 'Report'; nothing changed"
    feedback = (
        Feedback(kind="effect", message=line),
        Feedback(kind="popup", message="cookie wall: clicked 'OK'"),
    )
    prompt = builder.build("go", obs, (), feedback)
    text = "".join(getattr(p, "text", "") for m in prompt.messages for p in m.parts)
    assert f"Effect of the previous action: {line}" in text
    assert "Before this step a popup was dismissed: cookie wall: clicked 'OK'" in text


def test_secret_references_are_checked_before_anything_runs(tmp_path: Path) -> None:
    assert secret_references("type {{secret:pw}} then { secret: pin } and {{secret:pw}}") == ["pw", "pin"]
    check_references("type {{secret:pw}}", SecretStore({"pw": "x"}))
    env = FakeEnvironment()
    policy = ScriptedPolicy([TypeText(text="never")])
    with pytest.raises(ConfigError, match="'pw'"):
        Agent(env, policy, out_dir=tmp_path).run('type "{{secret:pw}}" into "Password"')
    assert policy.calls == [] and not any(tmp_path.iterdir())
