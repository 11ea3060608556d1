import threading
import time

import pytest

from screenpilot.agent.config import AgentConfig, LoopConfig, RetryConfig
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory import load_run
from screenpilot.environments.fake import AppSpec, FakeConfig, FakeEnvironment, FaultSpec, login_app
from screenpilot.model.scripted import Delay, FunctionPolicy, ScriptedPolicy
from screenpilot.model.types import Decision
from screenpilot.tools.actions import Answer, Click, KeyPress, Terminate, TypeText, Wait
from screenpilot.tools.errors import Aborted, ModelOutputError, ModelTransportError
from screenpilot.tools.points import CoordSpace, Point


def login_script(click_on):
    return [
        click_on("username"),
        TypeText(text="alice"),
        KeyPress(keys=("tab",)),
        TypeText(text="wonderland"),
        KeyPress(keys=("enter",)),
    ]


def test_success_records_a_complete_trajectory(env, fast_config, click_on, tmp_path):
    policy = ScriptedPolicy([*login_script(click_on), Answer(text="logged in")])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("log in as alice")
    assert result.status == "success" and result.answer == "logged in"
    assert env.state.screen == "dashboard"
    traj = load_run(result.run_dir)
    assert traj.finished and traj.result["status"] == "success"
    assert len(traj.steps) == 6
    assert traj.manifest["policy"] == "scripted" and traj.manifest["task"] == "log in as alice"
    shot = traj.steps[0]["screenshot"]
    assert traj.screenshot(shot).size == (800, 600)


def test_several_actions_in_one_decision_run_in_order(env, fast_config, click_on, tmp_path):
    policy = ScriptedPolicy([[click_on("username"), TypeText(text="bob")], Terminate()])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("type bob")
    assert result.status == "success" and result.steps == 2
    assert env.state.values["username"] == "bob"


def test_step_budget_ends_as_truncated(env, fast_config, tmp_path):
    policy = FunctionPolicy(lambda *a: KeyPress(keys=("tab",)))
    config = fast_config.model_copy(update={"max_steps": 4, "loop": LoopConfig(enabled=False)})
    result = Agent(env, policy, config, out_dir=tmp_path).run("tab forever")
    assert result.status == "truncated" and result.steps == 4
    assert load_run(result.run_dir).result["status"] == "truncated"


def test_time_budget_ends_as_timeout(env, fast_config, tmp_path):
    def slow_tab(*args):
        time.sleep(0.1)
        return KeyPress(keys=("tab",))

    config = fast_config.model_copy(update={"max_seconds": 0.5, "loop": LoopConfig(enabled=False)})
    result = Agent(env, FunctionPolicy(slow_tab), config, out_dir=tmp_path).run("x")
    assert result.status == "timeout" and "time budget" in result.reason
    assert 1 <= result.steps <= 5
    assert result.elapsed_s < 2.0


def test_a_hung_model_is_cut_by_the_time_budget(env, fast_config, tmp_path):
    config = fast_config.model_copy(update={"max_seconds": 0.5, "model_timeout_s": 60})
    result = Agent(env, ScriptedPolicy([Delay(seconds=30)]), config, out_dir=tmp_path).run("x")
    assert result.status == "timeout" and result.elapsed_s < 3.0


def test_malformed_output_is_re_asked_with_the_error(env, fast_config, tmp_path):
    policy = ScriptedPolicy(
        [
            ModelOutputError("no <tool_call> found; answer with one tool call", raw="I think..."),
            Terminate(status="success"),
        ]
    )
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("finish")
    assert result.status == "success" and result.steps == 1
    _, feedback = policy.calls[1]
    assert feedback[0].kind == "invalid_output"
    assert "no <tool_call> found" in feedback[0].message and feedback[0].raw == "I think..."
    events = load_run(result.run_dir).events
    assert any(e["type"] == "invalid_output" for e in events)


def test_malformed_output_is_capped_and_counted_as_a_failed_step(env, fast_config, tmp_path):
    bad = [ModelOutputError("bad", raw="x")] * 20
    config = fast_config.model_copy(update={"max_output_retries": 1, "max_consecutive_failures": 2})
    result = Agent(env, ScriptedPolicy(bad), config, out_dir=tmp_path).run("x")
    assert result.status == "error" and "consecutive" in result.reason
    steps = load_run(result.run_dir).steps
    assert len(steps) == 2 and steps[0]["error"].startswith("ModelOutputError")


def test_model_timeout_is_retried(env, fast_config, tmp_path):
    # the abandoned call sleeps past the retry even on a loaded machine (it would take the
    # Terminate itself if it woke first)
    policy = ScriptedPolicy([Delay(seconds=10.0), Terminate()])
    config = fast_config.model_copy(update={"model_timeout_s": 0.2})
    result = Agent(env, policy, config, out_dir=tmp_path).run("x")
    assert result.status == "success"
    retries = [e for e in load_run(result.run_dir).events if e["type"] == "model_retry"]
    assert len(retries) == 1 and "ModelTimeout" in retries[0]["error"]


def test_transport_errors_retry_with_backoff_then_give_up(env, tmp_path):
    config = AgentConfig(retry=RetryConfig(attempts=3, base_s=0.01, max_s=0.02))
    policy = ScriptedPolicy([ModelTransportError("503")] * 5)
    result = Agent(env, policy, config, out_dir=tmp_path).run("x")
    assert result.status == "error" and "ModelTransportError" in result.reason
    assert len(policy.calls) == 3


def test_driver_error_is_fed_back_to_the_model(tmp_path, fast_config):
    app = AppSpec.model_validate(login_app().model_dump() | {"faults": FaultSpec(driver_error_at=(0,))})
    env = FakeEnvironment(FakeConfig(app=app))
    policy = ScriptedPolicy([KeyPress(keys=("tab",)), KeyPress(keys=("tab",)), Terminate()])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("x")
    assert result.status == "success"
    _, feedback = policy.calls[1]
    assert feedback[0].kind == "action_error"
    assert "simulated driver failure" in feedback[0].message
    step0 = load_run(result.run_dir).steps[0]
    assert step0["outcomes"][0]["ok"] is False and step0["outcomes"][0]["error_type"] == "DriverError"


def test_out_of_range_points_are_rejected_and_fed_back(env, fast_config, tmp_path):
    policy = ScriptedPolicy([Click(at=Point(x=1200, y=10, space=CoordSpace.REL1000)), Terminate()])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("x")
    assert result.status == "success"
    _, feedback = policy.calls[1]
    assert feedback[0].kind == "rejected" and "outside the rel1000 range" in feedback[0].message


def test_unsupported_actions_are_rejected(env, fast_config, tmp_path):
    from screenpilot.tools.actions import Navigate

    policy = ScriptedPolicy([Navigate(url="https://example.com"), Terminate()])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("x")
    _, feedback = policy.calls[1]
    assert result.status == "success" and "not available on fake" in feedback[0].message


def test_crashed_environment_is_reset_and_reported(tmp_path, fast_config):
    app = AppSpec.model_validate(login_app().model_dump() | {"faults": FaultSpec(crash_at=(0,))})
    env = FakeEnvironment(FakeConfig(app=app))
    policy = ScriptedPolicy([KeyPress(keys=("tab",)), Terminate()])
    result = Agent(env, policy, fast_config, out_dir=tmp_path).run("x")
    _, feedback = policy.calls[1]
    assert result.status == "success"
    assert {f.kind for f in feedback} == {"action_error", "notice"}


def test_loop_is_nudged_then_stopped(env, fast_config, tmp_path):
    same = Click(at=Point(x=700, y=500))  # empty space: the screen never changes
    config = fast_config.model_copy(update={"loop": LoopConfig(nudge_after=2, stop_after=4)})
    seen = []
    policy_with_log = FunctionPolicy(lambda t, o, h, f: (seen.append(f), same)[1])
    result = Agent(env, policy_with_log, config, out_dir=tmp_path).run("x")
    assert result.status == "loop" and "LoopDetected" in result.reason
    assert result.steps == 4
    assert any(fb and fb[0].kind == "loop" for fb in seen)
    assert any(e["type"] == "loop_nudge" for e in load_run(result.run_dir).events)


def test_kill_switch_aborts_and_is_never_swallowed(env, fast_config, tmp_path):
    kill = KillSwitch()
    policy = FunctionPolicy(lambda *a: (kill.trip("stop requested"), Wait(seconds=0))[1])
    agent = Agent(env, policy, fast_config, kill_switch=kill, out_dir=tmp_path)
    with pytest.raises(Aborted, match="stop requested"):
        agent.run("x", run_id="killed")
    traj = load_run(tmp_path / "killed")
    assert traj.result["status"] == "aborted"
    assert traj.steps == [] or all(not o for s in traj.steps for o in s["outcomes"])


def test_abort_file_stops_a_running_agent(env, fast_config, tmp_path):
    flag = tmp_path / "STOP"
    config = fast_config.model_copy(
        update={"abort_file": flag, "loop": LoopConfig(enabled=False), "max_steps": 10_000}
    )
    policy = FunctionPolicy(lambda *a: Wait(seconds=0.01))
    timer = threading.Timer(0.3, flag.touch)
    timer.start()
    with pytest.raises(Aborted, match="abort file"):
        Agent(env, policy, config, out_dir=tmp_path).run("x", run_id="r")
    assert load_run(tmp_path / "r").result["status"] == "aborted"


def test_secrets_never_reach_the_trajectory(env, fast_config, click_on, tmp_path):
    secret = "s3cr3t-Canary-9f2"
    app = login_app(password=secret)
    env = FakeEnvironment(FakeConfig(app=app))
    seen_by_policy = []

    def policy_fn(task, obs, history, feedback):
        seen_by_policy.append(repr(obs.elements) + repr(history) + repr(feedback) + task)
        step = len(history)
        script = [
            click_on("password"),
            TypeText(secret="password"),
            Answer(text=f"the password was typed; it echoes {secret}"),
        ]
        return script[step]

    store = SecretStore({"password": secret})
    result = Agent(env, FunctionPolicy(policy_fn), fast_config, secrets=store, out_dir=tmp_path).run(
        f"type the password (hint {secret})"
    )
    assert env.state.values["password"] == secret
    assert result.status == "success"
    for path in result.run_dir.rglob("*"):
        if path.is_file() and path.suffix != ".png":
            assert secret not in path.read_text(encoding="utf-8"), path
    assert "[secret:password]" in (result.run_dir / "events.jsonl").read_text()
    assert all(secret not in s for s in seen_by_policy[:2])


def test_step_callbacks_receive_every_step(env, fast_config, click_on, tmp_path):
    events = []
    policy = ScriptedPolicy([*login_script(click_on), Terminate()])
    Agent(env, policy, fast_config, out_dir=None, on_step=[events.append]).run("x")
    assert [e.index for e in events] == list(range(6))
    assert events[0].outcomes[0].message == "focused username"


def test_decision_usage_is_summed(env, fast_config):
    from screenpilot.model.types import Usage

    d = Decision(actions=(KeyPress(keys=("tab",)),), usage=Usage(input_tokens=10, output_tokens=2, calls=1))
    result = Agent(env, ScriptedPolicy([d, d, Terminate()]), fast_config, out_dir=None).run("x")
    assert result.usage.input_tokens == 20 and result.usage.calls == 2
