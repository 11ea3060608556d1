import re
from pathlib import Path

import pytest

from screenpilot.tools.errors import ConfigError
from screenpilot.workflows import parse_workflow, validate_tree
from screenpilot.workflows.frame import bind_variables, read_csv_rows
from screenpilot.workflows.secret_source import gather_secrets, read_secrets_file
from screenpilot.workflows.steps import ClickStep, IfStep, TypeStep
from screenpilot.workflows.targets import PointTarget, TextTarget
from screenpilot.workflows.template import render
from tests.workflows.wf_helpers import EXAMPLES


def error_of(text: str, file: str = "flow.yaml") -> str:
    with pytest.raises(ConfigError) as info:
        parse_workflow(text, file=file)
    return str(info.value)


def test_a_valid_file_loads_into_typed_steps():
    loaded = parse_workflow(
        "name: t\nsteps:\n  - click: Sign in\n  - type: hi\n    into: {point: [10, 20], space: rel1000}\n"
    )
    click, typed = loaded.workflow.steps
    assert isinstance(click, ClickStep) and click.click == TextTarget(text="Sign in")
    assert isinstance(typed, TypeStep) and isinstance(typed.into, PointTarget)


def test_an_unknown_step_names_file_line_and_the_nearest_kind():
    msg = error_of("name: t\nsteps:\n  - click: {text: A}\n  - clik: {text: B}\n")
    assert "flow.yaml:4:5: steps[1]" in msg
    assert "did you mean 'click'" in msg


def test_a_bad_field_deep_inside_names_its_line_and_path():
    msg = error_of(
        "name: t\nsteps:\n  - for_each: [a, b]\n    do:\n      - click: {text: X}\n        timeout: -2\n"
    )
    assert "flow.yaml:6:9: steps[0].do[0].timeout: Input should be greater than 0" in msg


def test_an_unknown_target_key_and_an_extra_field_are_both_reported():
    msg = error_of("name: t\nsteps:\n  - click: {txt: X}\n  - click: {text: X, colour: red}\n")
    assert "flow.yaml:3:5: steps[0].click: a target needs one of the keys" in msg
    assert "did you mean 'text'" in msg
    assert re.search(r"flow\.yaml:4:\d+: steps\[1\]\.click\.colour: Extra inputs are not permitted", msg)


def test_a_missing_required_field_is_named():
    msg = error_of("steps:\n  - press: enter\n")
    assert "flow.yaml:1:1: name: Field required" in msg


def test_a_bad_condition_names_the_column():
    msg = error_of("name: t\nsteps:\n  - if: visible('x') and and\n    then: [{press: enter}]\n")
    assert "flow.yaml:3:5: steps[0].if" in msg
    assert "column 18" in msg


def test_yaml_syntax_errors_and_duplicate_keys_name_the_line():
    assert error_of("name: t\nsteps:\n  - click: {text: X\n").startswith("flow.yaml:4:")
    assert "flow.yaml:3:1: duplicate key 'name'" in error_of("name: t\nsteps: [{press: a}]\nname: u\n")


def test_a_secret_must_be_declared():
    assert "secrets used but not declared" in error_of("name: t\nsteps:\n  - type: {secret: pin}\n")


def test_shipped_examples_validate_with_the_files_they_call():
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) >= 2
    for file in files:
        loaded = validate_tree(file)
        assert loaded[0].workflow.steps
    names = {w.workflow.name for w in validate_tree(EXAMPLES / "display_names.yaml")}
    assert names == {"display names", "login"}


def test_validate_tree_reports_a_missing_called_file(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("name: a\nsteps:\n  - call: nowhere.yaml\n")
    with pytest.raises(ConfigError, match=r"nowhere\.yaml"):
        validate_tree(tmp_path / "a.yaml")


def test_variables_overrides_are_typed_like_their_defaults_and_typos_fail():
    bound = bind_variables({"n": 1, "on": False, "name": "x"}, {"n": "3", "on": "yes"}, what="w")
    assert bound == {"n": 3, "on": True, "name": "x"}
    with pytest.raises(ConfigError, match="no variable 'nme'"):
        bind_variables({"name": "x"}, {"nme": "y"}, what="w")
    with pytest.raises(ConfigError, match="not a valid int"):
        bind_variables({"n": 1}, {"n": "many"}, what="w")


def test_templates_substitute_fields_keep_types_and_escape():
    variables = {"row": {"email": "a@b.c"}, "items": [1, 2], "n": 3}
    lookup = lambda path: variables[path[0]] if len(path) == 1 else variables[path[0]][path[1]]  # noqa: E731
    assert render("to ${row.email} x${n}", lookup) == "to a@b.c x3"
    assert render("${items}", lookup) == [1, 2]
    assert render({"k": ["$${literal}"]}, lookup) == {"k": ["${literal}"]}


def test_csv_rows_and_secrets_files(tmp_path: Path):
    (tmp_path / "rows.csv").write_text("name,email\nAnn,a@x\nBo,b@x\n", encoding="utf-8")
    assert read_csv_rows(tmp_path / "rows.csv") == [
        {"name": "Ann", "email": "a@x"},
        {"name": "Bo", "email": "b@x"},
    ]
    (tmp_path / "s.env").write_text("# comment\npassword='pa ss'\nexport token=abc\n")
    assert read_secrets_file(tmp_path / "s.env") == {"password": "pa ss", "token": "abc"}
    (tmp_path / "s.yaml").write_text("password: from-file\n")
    got = gather_secrets(
        ["password"], environ={"SCREENPILOT_SECRET_PASSWORD": "from-env"}, secrets_file=tmp_path / "s.yaml"
    )
    assert got == {"password": "from-env"}
    assert gather_secrets(["password"], environ={}, secrets_file=tmp_path / "s.yaml") == {
        "password": "from-file"
    }
    with pytest.raises(ConfigError, match="SCREENPILOT_SECRET_PIN") as info:
        gather_secrets(["pin"], environ={}, secrets_file=tmp_path / "s.yaml")
    assert "from-file" not in str(info.value)


def test_nested_control_steps_parse_recursively():
    loaded = parse_workflow(
        "name: t\n"
        "steps:\n"
        "  - if: n > 2\n"
        "    then:\n"
        "      - while: not visible('Done')\n"
        "        max_iterations: 3\n"
        "        do: [{scroll: down}]\n"
        "    else: [{press: enter}]\n"
    )
    step = loaded.workflow.steps[0]
    assert isinstance(step, IfStep) and len(step.then) == 1 and len(step.else_) == 1
