"""The offline policy completes multi-step form tasks in the fake environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.fake import AppSpec, FakeConfig, FakeEnvironment, login_app
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.policy import OfflinePolicy, OfflinePolicyConfig, from_options
from screenpilot.tools.actions import Click
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.ocr import OcrEngine

LOGIN_TASK = (
    'Type "alice" into the Username field, type "wonderland" into Password, check "Remember me" '
    'and click Sign in, then wait until "Welcome" appears, open the Invoices tab and answer "done"'
)


def _run(env: FakeEnvironment, policy: OfflinePolicy, task: str, max_steps: int = 30) -> tuple[str, str]:
    result = Agent(env, policy, AgentConfig(max_steps=max_steps), out_dir=None).run(task)
    return result.status, result.answer or result.reason


def test_login_task_with_elements() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    status, answer = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), LOGIN_TASK)
    assert (status, answer) == ("success", "done")
    assert env.state.values["username"] == "alice"
    assert env.state.values["password"] == "wonderland"
    assert env.state.checked["remember"] is True
    assert env.state.screen == "invoices"
    assert env.state.actions == 7  # one action per step: 2 clicks + 2 types, check, sign in, tab


@pytest.mark.slow
def test_login_task_from_pixels_only(ocr_engine: OcrEngine) -> None:
    env = FakeEnvironment(FakeConfig(app=login_app(), expose_elements=False))
    status, answer = _run(env, OfflinePolicy(engine=ocr_engine), LOGIN_TASK)
    assert (status, answer) == ("success", "done")
    assert env.state.values == {"username": "alice", "password": "wonderland", "display_name": ""}
    assert env.state.checked["remember"] is True
    assert env.state.screen == "invoices"


@pytest.mark.slow
@pytest.mark.parametrize("elements", [True, False])
def test_contact_form_with_unnamed_fields(form_app: AppSpec, ocr_engine: OcrEngine, elements: bool) -> None:
    env = FakeEnvironment(FakeConfig(app=form_app, expose_elements=elements))
    task = (
        'Type "ada@example.com" into the field below Email, type "555 0100" into Phone, '
        'tick "Send me news", click the Send button, then wait until "Message sent" appears'
    )
    status, reason = _run(env, OfflinePolicy(engine=ocr_engine), task)
    assert status == "success", reason
    assert env.state.screen == "done"


def test_chinese_instruction_on_english_labels() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    task = '在Username中输入"alice"，然后在Password中输入"wonderland"并点击"Sign in"'
    status, reason = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), task)
    assert status == "success", reason
    assert env.state.screen == "dashboard"


def test_checkbox_already_in_state_costs_no_action() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    env.reset()
    policy = OfflinePolicy(OfflinePolicyConfig(ocr="off"))
    status, _ = _run(env, policy, 'uncheck "Remember me"')
    assert status == "success"
    assert env.state.actions == 0


def test_unknown_instruction_stops_with_the_reason() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    status, reason = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), "dance wildly")
    assert status == "failure"
    assert "could not understand 'dance wildly'" in reason and "(dance, wildly)" in reason
    assert env.state.actions == 0  # words that name nothing on the screen are never acted on


def test_missing_target_stops_with_what_it_saw() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    status, reason = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), "click Delete account")
    assert status == "failure"
    assert "nothing matches 'Delete account'" in reason
    assert "'Sign in'" in reason and "'Forgot password?'" in reason  # what it saw
    assert env.state.log.count("wait(seconds=0.5)") == 1  # waited once for a slow page first


def test_wrong_credentials_are_reported_by_a_failed_wait() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    policy = OfflinePolicy(OfflinePolicyConfig(ocr="off", max_wait_s=1.0))
    task = 'type "bob" into Username and click Sign in, then wait until "Welcome" appears'
    status, reason = _run(env, policy, task)
    assert status == "failure"
    assert "'Welcome' did not appear" in reason
    assert env.state.error == "Wrong username or password"


def test_one_action_per_predict_and_state_resets_per_run() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    policy = OfflinePolicy(OfflinePolicyConfig(ocr="off"))
    obs: Observation = env.reset()
    first = policy.predict("click Sign in", obs, [])
    assert len(first.actions) == 1 and isinstance(first.actions[0], Click)
    again = policy.predict("click Sign in", obs, [])  # empty history: a new run starts over
    assert isinstance(again.actions[0], Click)


def test_factory_validates_options() -> None:
    policy = from_options({"ocr": "off", "min_score": "0.7"})
    assert policy.config.min_score == 0.7
    with pytest.raises(ConfigError):
        from_options({"ocr": "sometimes"})
    with pytest.raises(ConfigError):
        from_options({"colour": "blue"})


def test_terminates_with_success_after_the_last_step() -> None:
    env = FakeEnvironment(FakeConfig(app=login_app()))
    result = Agent(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), AgentConfig(), out_dir=None).run(
        "click Forgot password?"
    )
    assert result.status == "success"
    assert "all 1 steps done" in result.reason
    assert env.state.screen == "help"


def test_a_failed_action_is_retried_then_given_up() -> None:
    from screenpilot.environments.fake import FaultSpec

    flaky = login_app().model_copy(update={"faults": FaultSpec(driver_error_at=(0,))})
    env = FakeEnvironment(FakeConfig(app=flaky))
    status, reason = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), "click Forgot password?")
    assert status == "success", reason  # the first click failed in the driver, the retry worked
    assert env.state.screen == "help"

    broken = login_app().model_copy(update={"faults": FaultSpec(driver_error_at=(0, 1, 2, 3, 4))})
    env = FakeEnvironment(FakeConfig(app=broken))
    status, reason = _run(env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), "click Forgot password?")
    assert status == "failure"  # the policy gives up after three failed attempts
    assert reason.startswith("step 1 kept failing") and "simulated driver failure" in reason
    assert env.state.actions == 3


def test_a_secret_is_typed_by_name_through_the_secret_store(tmp_path: Path) -> None:
    from screenpilot.agent.secrets import SecretStore

    env = FakeEnvironment(FakeConfig(app=login_app()))
    secrets = SecretStore({"pw": "wonderland"})
    agent = Agent(
        env, OfflinePolicy(OfflinePolicyConfig(ocr="off")), AgentConfig(), secrets=secrets, out_dir=tmp_path
    )
    result = agent.run('type "alice" into Username, type {{secret:pw}} into Password and click Sign in')
    assert result.status == "success", result.reason
    assert env.state.values["password"] == "wonderland"  # the value, never the reference
    events = "".join(p.read_text() for p in tmp_path.rglob("*.jsonl"))
    assert "wonderland" not in events and "secret" in events


def test_an_unknown_secret_is_a_usage_error_before_the_first_step(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from screenpilot.app.cli.main import main

    monkeypatch.setenv("SCREENPILOT_SECRET_PW", "wonderland")
    code = main(
        ["run", "--env", "fake", "--policy", "offline", "--secret", "pw", "--out", str(tmp_path),
         "type {secret: pin} into Password"]
    )  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "secret(s) 'pin'" in err and "not given" in err
    assert not list(tmp_path.rglob("events.jsonl"))  # nothing ran, nothing was recorded
