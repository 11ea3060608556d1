"""Where a workflow run's time goes: every step's seconds land in a stage, and only once."""

from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import DialogSpec, FakeConfig, FakeEnvironment, login_app
from screenpilot.workflows import load_workflow
from tests.workflows.wf_helpers import EXAMPLES

SLOW_OBSERVER = """
name: slow observer
observers:
  - name: banner
    when: {text: We use cookies}
    steps:
      - wait_for: {text: Nothing like this}
        timeout: 0.4
        on_fail: skip
      - click: {text: Accept, role: button}
steps:
  - click: {text: Username, role: textbox}
  - type: alice
"""


def test_workflow_steps_have_stage_times(make_runner, env):
    result = make_runner(env).run(load_workflow(EXAMPLES / "login.yaml"))
    assert result.success, result.run.reason
    steps = load_run(result.run.run_dir).steps
    assert [s["workflow"]["kind"] for s in steps] == ["type", "type", "click", "wait_for"]
    for event in steps:
        assert event["times"]["locate_s"] > 0, event["workflow"]
        assert event["times"]["predict_s"] == 0  # no model was asked
    for event in steps[:3]:
        assert event["times"]["act_s"] > 0, event["workflow"]
    times = result.run.times
    assert times.locate_s > 0 and times.act_s > 0
    assert times.locate_s == sum(s["times"]["locate_s"] for s in steps)
    assert times.act_s == sum(s["times"]["act_s"] for s in steps)


def test_time_spent_in_an_observer_is_counted_once(write_workflow, make_runner):
    app = login_app().model_copy(update={"dialog": DialogSpec(at_steps=(1,))})
    env = FakeEnvironment(FakeConfig(app=app))
    result = make_runner(env).run(write_workflow(SLOW_OBSERVER))
    assert result.success, result.run.reason
    assert env.state.values["username"] == "alice"
    events = load_run(result.run.run_dir).steps
    steps = {s["workflow"]["path"]: s for s in events}
    waited = steps["observer 'banner'.steps[0]"]
    assert waited["error"] and waited["times"]["locate_s"] >= 0.4
    # steps[1] was looking at the screen when the observer fired; the observer's steps own
    # their seconds, so steps[1] and the observer together fit in the time between the
    # records of steps[0] and steps[1]
    observer = sum(sum(s["times"].values()) for s in events if s["workflow"].get("observer"))
    span = steps["steps[1]"]["t"] - steps["steps[0]"]["t"]
    assert steps["steps[1]"]["times"]["locate_s"] + observer <= span
    total = sum(sum(s["times"].values()) for s in events)
    assert total <= result.run.elapsed_s
