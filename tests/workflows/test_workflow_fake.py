"""Workflows against the fake GUI: every behaviour the issue asks for, on ground truth."""

import json
from pathlib import Path

from screenpilot.agent.loop import Agent
from screenpilot.agent.result import StepEvent
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import DialogSpec, FakeConfig, FakeEnvironment, FaultSpec, login_app
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click, Terminate
from screenpilot.tools.points import Point
from screenpilot.workflows import load_workflow
from tests.workflows.wf_helpers import EXAMPLES, ScriptedGrounder

LOGIN = """
name: login
variables: {user: nobody}
secrets: [password]
steps:
  - type: ${user}
    into: {text: Username, role: textbox}
  - type: {secret: password}
    into: {text: Password, role: textbox}
  - click: {text: Sign in, role: button}
"""


def app_env(**update: object) -> FakeEnvironment:
    return FakeEnvironment(FakeConfig(app=login_app().model_copy(update=update)))


def step_events(run_dir: Path) -> list[dict]:
    return load_run(run_dir).steps


def test_variables_are_overridden_and_a_csv_loop_types_every_row(write_workflow, make_runner, env, tmp_path):
    (tmp_path / "names.csv").write_text("display_name\nAnn\nBo Bo\nCy\n", encoding="utf-8")
    write_workflow(LOGIN, "login.yaml")
    loaded = write_workflow(
        """
name: names
variables: {user: nobody}
secrets: [password]
steps:
  - call: login.yaml
    with: {user: "${user}"}
  - for_each: {csv: names.csv}
    as: row
    do:
      - click: Settings
      - type: "${row.display_name} #${row_index}"
        into: {text: Display name, role: textbox}
        clear: true
      - click: Save
"""
    )
    result = make_runner(env).run(loaded, {"user": "alice"})
    assert result.success, result.run.reason
    assert env.state.values["username"] == "alice"
    typed = [line for line in env.state.log if line.startswith("type(text=") and "#" in line]
    assert typed == [
        "type(text='Ann #0', clear_first=True)",
        "type(text='Bo Bo #1', clear_first=True)",
        "type(text='Cy #2', clear_first=True)",
    ]
    assert env.state.values["display_name"] == "Cy #2"
    assert env.state.screen == "dashboard"
    assert "row" not in result.variables  # the loop variable is scoped to the loop


def test_a_popup_observer_dismisses_the_dialog_and_the_flow_continues(write_workflow, make_runner):
    env = app_env(dialog=DialogSpec(at_steps=(2,)))
    loaded = write_workflow(
        LOGIN
        + """
observers:
  - name: cookies
    when: {text: We use cookies}
    steps:
      - click: {text: Accept, role: button}
"""
    )
    result = make_runner(env).run(loaded, {"user": "alice"})
    assert result.success, result.run.reason
    assert env.state.dialogs_shown == 1 and env.state.dialog_choice == "Accept"
    assert env.state.screen == "dashboard"
    run_dir = result.run.run_dir
    fired = [e for e in load_run(run_dir).events if e["type"] == "observer_fired"]
    assert [e["observer"] for e in fired] == ["cookies"]
    observer_steps = [e for e in step_events(run_dir) if e["workflow"].get("observer") == "cookies"]
    assert len(observer_steps) == 1 and "Accept" in observer_steps[0]["thought"]


def test_without_the_observer_the_dialog_blocks_and_the_run_fails(write_workflow, make_runner):
    env = app_env(dialog=DialogSpec(at_steps=(2,)))
    loaded = write_workflow(LOGIN + "  - wait_for: Welcome\n    timeout: 0.3\n")
    result = make_runner(env).run(loaded, {"user": "alice"})
    assert result.run.status == "failure"
    assert env.state.screen == "login"


def test_a_step_retried_after_a_driver_error_succeeds_on_the_second_try(write_workflow, make_runner):
    env = app_env(faults=FaultSpec(driver_error_at=(0,)))
    loaded = write_workflow(
        """
name: retry
steps:
  - click: {text: Remember me}
    retry: {times: 2, interval: 0.01}
"""
    )
    result = make_runner(env).run(loaded)
    assert result.success, result.run.reason
    assert env.state.checked["remember"] is True
    events = step_events(result.run.run_dir)
    assert [e["workflow"]["attempt"] for e in events] == [1, 2]
    assert events[0]["error"].startswith("DriverError: simulated driver failure")
    assert events[1]["error"] is None and events[1]["outcomes"][0]["ok"]


def test_a_missing_target_fails_naming_the_step_and_what_was_on_screen(write_workflow, make_runner, env):
    loaded = write_workflow(
        """
name: missing
steps:
  - click: {text: Remember me}
  - click: {text: Export to PDF}
    name: export
    timeout: 0.3
  - press: enter
"""
    )
    result = make_runner(env).run(loaded)
    assert result.run.status == "failure"
    reason = result.run.reason
    assert reason.startswith(
        "TargetNotFound: step steps[1] (export): text 'Export to PDF' not found within 0.3s"
    )
    assert "on screen: 'Sign in' showing 'Username', 'Password', 'Remember me', 'Sign in'" in reason
    assert not any(line.startswith("key(") for line in env.state.log)  # the flow stopped there
    saved = json.loads((result.run.run_dir / "result.json").read_text())
    assert saved["status"] == "failure" and saved["reason"] == reason


def test_on_fail_skip_goes_on(write_workflow, make_runner, env):
    loaded = write_workflow(
        "name: s\nsteps:\n  - click: Nope\n    timeout: 0.1\n    on_fail: skip\n  - click: Remember me\n"
    )
    result = make_runner(env).run(loaded)
    assert result.success and result.skipped == ["steps[0]"]
    assert env.state.checked["remember"] is True


def test_a_step_heals_with_the_model_when_its_target_changed(write_workflow, make_runner, env):
    # The button was renamed: the workflow still says "Log in". The scripted grounder plays
    # the model and answers with the real button, in the model's relative coordinates.
    def answer(obs, description):
        el = next(e for e in obs.elements if e.label == "Sign in")
        return Point(x=el.box.center.x / 800 * 1000, y=el.box.center.y / 600 * 1000, space="rel1000")

    grounder = ScriptedGrounder(answer)
    loaded = write_workflow(
        LOGIN.replace(
            "{text: Sign in, role: button}",
            "{text: Log in, role: button}\n    timeout: 0.2\n    on_fail: model",
        )
    )
    result = make_runner(env, grounder=grounder).run(loaded, {"user": "alice"})
    assert result.success, result.run.reason
    assert env.state.screen == "dashboard"
    assert grounder.queries == ["button labelled 'Log in'"]
    assert result.healed == ["steps[2]"]
    healed = [e for e in step_events(result.run.run_dir) if e["workflow"].get("healed")]
    assert len(healed) == 1 and healed[0]["workflow"]["found_by"] == "healed:model"
    assert "healed by the model" in healed[0]["thought"]


def test_healing_that_finds_nothing_fails_the_run(write_workflow, make_runner, env):
    loaded = write_workflow("name: h\nsteps:\n  - click: Log in\n    timeout: 0.1\n    on_fail: model\n")
    result = make_runner(env, grounder=ScriptedGrounder(lambda obs, d: None)).run(loaded)
    assert result.run.status == "failure" and "the model could not find text 'Log in'" in result.run.reason


def test_a_canary_secret_is_absent_from_every_file_the_run_wrote(write_workflow, make_runner, tmp_path):
    canary = "canary-5be1-wonderland"
    env = FakeEnvironment(FakeConfig(app=login_app(password=canary)))
    loaded = write_workflow(
        LOGIN
        + """
  - wait_for: Welcome
  - extract: {region: [0, 0, 800, 600]}
    save_as: page
"""
    )
    printed: list[StepEvent] = []
    runner = make_runner(env, secrets=SecretStore({"password": canary}), on_step=[printed.append])
    result = runner.run(loaded, {"user": "alice"})
    assert result.success, result.run.reason
    assert env.state.values["password"] == canary  # it really was typed
    files = [p for p in result.run.run_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in files) and any(p.name == "events.jsonl" for p in files)
    for path in files:
        assert canary.encode() not in path.read_bytes(), path
    assert all(canary not in e.model_dump_json() for e in printed)


def test_a_compiled_agent_run_replays_to_the_same_end_state_without_a_model(make_runner, tmp_path):
    from screenpilot.workflows.compile import compile_run

    def rel(env: FakeEnvironment, widget: str) -> Point:
        x, y = env.center_of(widget)
        return Point(x=x / 800 * 1000, y=y / 600 * 1000, space="rel1000")

    recorded = FakeEnvironment()
    recorded.reset()
    from screenpilot.tools.actions import KeyPress, TypeText

    invoices = Click(at=Point(x=230 / 800 * 1000, y=98 / 600 * 1000, space="rel1000"))
    script = [
        Click(at=rel(recorded, "username")),
        TypeText(text="alice"),
        KeyPress(keys=("tab",)),
        TypeText(secret="password"),
        Click(at=rel(recorded, "remember")),
        KeyPress(keys=("enter",)),
        invoices,
        Terminate(status="success"),
    ]
    agent = Agent(
        recorded,
        ScriptedPolicy(script),
        secrets=SecretStore({"password": "wonderland"}),
        out_dir=tmp_path / "a",
    )
    run = agent.run("log in and open the invoices")
    assert run.success and recorded.state.screen == "invoices"

    compiled = compile_run(load_run(run.run_dir))
    path = tmp_path / "replay.yaml"
    path.write_text(compiled.to_yaml(), encoding="utf-8")
    steps = compiled.data["steps"]
    assert steps[0]["click"]["text"] == "Username" and steps[0]["click"]["role"] == "textbox"
    assert steps[0]["click"]["fallback"]["space"] == "rel1000"
    assert steps[3] == {"type": {"secret": "password"}}
    assert compiled.data["secrets"] == ["password"]

    replay = FakeEnvironment()
    result = make_runner(replay).run(load_workflow(path))
    assert result.success, result.run.reason
    for field in ("screen", "values", "checked", "visited"):
        assert getattr(replay.state, field) == getattr(recorded.state, field), field
    found = [
        e["workflow"].get("found_by") for e in step_events(result.run.run_dir) if "found_by" in e["workflow"]
    ]
    assert found and all(f == "found:element" for f in found)  # by text, not by the old point


def test_the_compiled_replay_follows_text_when_the_layout_moves(make_runner, tmp_path):
    from screenpilot.workflows.compile import compile_run

    env = FakeEnvironment()
    env.reset()
    x, y = env.center_of("remember")
    agent = Agent(env, ScriptedPolicy([Click(at=Point(x=x, y=y)), Terminate()]), out_dir=tmp_path / "a")
    run = agent.run("tick remember me")
    path = tmp_path / "replay.yaml"
    path.write_text(compile_run(load_run(run.run_dir)).to_yaml())

    app = login_app()
    login = app.screens[0]
    moved = tuple(
        w.model_copy(update={"rect": w.rect.model_copy(update={"y": w.rect.y + 90})})
        if w.id == "remember"
        else w
        for w in login.widgets
    )
    app = app.model_copy(update={"screens": (login.model_copy(update={"widgets": moved}), *app.screens[1:])})
    replay = FakeEnvironment(FakeConfig(app=app))
    result = make_runner(replay).run(load_workflow(path))
    assert result.success and replay.state.checked["remember"] is True


def test_an_agent_step_runs_a_sub_task_with_its_own_budget(write_workflow, make_runner, env):
    env.reset()
    x, y = env.center_of("help")
    policies: list[tuple[str | None, dict]] = []

    def provide(name, options):
        policies.append((name, dict(options)))
        return ScriptedPolicy([Click(at=Point(x=x, y=y)), Terminate(status="success")])

    loaded = write_workflow(
        """
name: a
steps:
  - agent: open the help page
    max_steps: 3
    policy: script
  - assert: {visible: Ask your administrator}
"""
    )
    result = make_runner(env, policies=provide).run(loaded)
    assert result.success, result.run.reason
    assert policies == [("script", {})]
    assert env.state.screen == "help"
    events = step_events(result.run.run_dir)
    assert (
        events[0]["workflow"]["kind"] == "agent" and events[0]["outcomes"][0]["action"]["action"] == "click"
    )
    assert [e["index"] for e in events] == list(range(len(events)))


def test_while_loops_are_bounded_and_if_branches_on_the_screen(write_workflow, make_runner, env):
    loaded = write_workflow(
        """
name: w
variables: {n: 0}
secrets: [password]
steps:
  - call: login.yaml
    with: {user: alice}
  - click: Invoices
  - while: "not visible('Invoice #1020')"
    max_iterations: 10
    do:
      - scroll: down
        amount: 5
  - if: "visible('Invoice #1020')"
    then:
      - extract: {text: 'Invoice #1020'}
        save_as: last
    else:
      - press: escape
  - while: "true"
    max_iterations: 2
    do: [{wait: 0}]
"""
    )
    write_workflow(LOGIN, "login.yaml")
    result = make_runner(env).run(loaded)
    assert result.run.status == "failure"
    assert "condition 'true' still holds after 2 iterations" in result.run.reason
    assert result.variables["last"] == "Invoice #1020  $2500.00"
    assert env.state.scroll_y > 0


def test_the_shipped_example_runs_with_a_popup(make_runner):
    env = FakeEnvironment(
        FakeConfig(app=login_app().model_copy(update={"dialog": DialogSpec(at_steps=(1,))}))
    )
    result = make_runner(env).run(load_workflow(EXAMPLES / "display_names.yaml"))
    assert result.success, result.run.reason
    assert env.state.values["display_name"] == "Alice Liddell"
    assert env.state.checked["notifications"] is True
    assert result.variables["amount"] == "375.00"
    steps = step_events(result.run.run_dir)
    for event in steps:  # every step event is a valid agent StepEvent
        StepEvent.model_validate(event)
