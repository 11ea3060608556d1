"""Individual step kinds on the fake GUI."""

import pytest

from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import DialogSpec, FakeConfig, FakeEnvironment, login_app
from screenpilot.tools.errors import ConfigError
from screenpilot.workflows import parse_workflow


def test_an_unknown_key_name_is_caught_when_loading():
    with pytest.raises(ConfigError, match=r"f\.yaml:3:5: steps\[0\]\.press: .*unknown key 'entr'"):
        parse_workflow("name: a\nsteps:\n  - press: ctrl+entr\n", file="f.yaml")


def test_for_each_over_a_variable_list_with_templated_targets(make_runner, env):
    loaded = parse_workflow(
        "name: f\n"
        "variables: {tabs: [Invoices, Settings, Overview]}\n"
        "secrets: [password]\n"
        "steps:\n"
        "  - type: alice\n    into: {text: Username, role: textbox}\n"
        "  - type: {secret: password}\n    into: {text: Password, role: textbox}\n    submit: true\n"
        "  - for_each: ${tabs}\n"
        "    as: tab\n"
        "    do:\n"
        "      - click: {text: '${tab}', role: button}\n"
    )
    result = make_runner(env).run(loaded)
    assert result.success, result.run.reason
    assert env.state.visited == ["login", "dashboard", "invoices", "settings", "dashboard"]


def test_wait_for_vanish_and_hidden_assertions(make_runner):
    env = FakeEnvironment(
        FakeConfig(app=login_app().model_copy(update={"dialog": DialogSpec(at_steps=(1,))}))
    )
    loaded = parse_workflow(
        """
name: v
steps:
  - click: {text: Remember me}
  - assert: {visible: We use cookies}
  - press: escape
  - wait_for: We use cookies
    until: vanish
    timeout: 1
  - assert: {hidden: {text: Accept, role: button}}
"""
    )
    result = make_runner(env).run(loaded)
    assert result.success, result.run.reason
    assert env.state.dialog_choice == "escape"


def test_a_false_text_assertion_says_what_the_text_was(make_runner, env):
    loaded = parse_workflow(
        """
name: t
steps:
  - type: bob
    into: {text: Username, role: textbox}
  - assert:
      text_of: {text: Username, role: textbox}
      equals: alice
      message: wrong user
    timeout: 0.2
"""
    )
    result = make_runner(env).run(loaded)
    assert result.run.status == "failure"
    assert result.run.reason == (
        "CheckFailed: step steps[1]: assertion failed (wrong user): the text of text 'Username' (textbox) "
        "is 'bob'; expected it to equal 'alice'"
    )


def test_a_condition_on_an_unknown_variable_is_a_usage_error(make_runner, env):
    loaded = parse_workflow("name: c\nsteps:\n  - if: missing > 1\n    then: [{press: enter}]\n")
    result = make_runner(env).run(loaded)
    assert result.run.status == "error"
    assert "unknown variable 'missing'" in result.run.reason


def test_drag_and_scroll_reach_the_environment(make_runner, env):
    loaded = parse_workflow(
        """
name: d
steps:
  - drag: {from: {text: Username, role: text}, to: {point: [500, 500], space: rel1000}}
  - scroll: down
    at: {point: [400, 300]}
"""
    )
    result = make_runner(env).run(loaded)
    assert result.success, result.run.reason
    assert env.state.pointer == (400.0, 300.0)
    assert env.state.log[0] == "drag(path=({'x': 400.0, 'y': 162.0}, {'x': 400.0, 'y': 300.0}))"
    assert env.state.log[1].startswith("scroll(direction=<ScrollDirection.DOWN")
    events = load_run(result.run.run_dir).steps
    assert events[0]["outcomes"][0]["action"]["path"][1] == {"x": 400.0, "y": 300.0, "space": "screen"}


def test_unsupported_actions_are_rejected_with_the_available_ones(make_runner, env):
    loaded = parse_workflow("name: n\nsteps:\n  - navigate: https://example.org\n")
    result = make_runner(env).run(loaded)
    assert result.run.status == "failure"
    assert "'navigate' is not available on fake" in result.run.reason
