from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screenpilot.tools.errors import ConfigError
from screenpilot.workflows.expr import BoolOp, Call, Compare, Const, Not, Var, evaluate, parse_expression
from screenpilot.workflows.template import lookup_path


class Ctx:
    def __init__(self, variables: dict[str, Any], screen: set[tuple[str, str]] = frozenset()) -> None:
        self.variables = variables
        self.screen = screen
        self.asked: list[tuple[str, str]] = []

    def lookup(self, path: tuple[str, ...]) -> Any:
        return lookup_path(self.variables, path)

    def visible(self, kind: str, value: str) -> bool:
        self.asked.append((kind, value))
        return (kind, value) in self.screen


def ev(text: str, ctx: Ctx | None = None) -> Any:
    return evaluate(parse_expression(text), ctx or Ctx({}))


def test_comparisons_logic_and_precedence():
    ctx = Ctx({"n": 3, "name": "alice", "row": {"qty": "12"}})
    assert ev("n > 2 and name == 'alice'", ctx) is True
    assert ev("not n > 2 or name != 'bob'", ctx) is True
    assert ev("not (n > 2 or false)", ctx) is False
    assert ev("row.qty >= 10", ctx) is True  # text from a CSV compares as a number
    assert ev("row.qty == 12", ctx) is True
    assert ev("'li' in name and len(name) == 5", ctx) is True
    assert ev('lower("ABC") == "abc"') is True


def test_screen_functions_ask_the_context():
    ctx = Ctx({}, {("text", "Sign in"), ("element", "#go")})
    assert ev("visible('Sign in') and visible_element('#go')", ctx) is True
    assert ev("visible_image('logo.png')", ctx) is False
    assert ("image", "logo.png") in ctx.asked


def test_data_cannot_change_the_meaning_of_a_condition():
    ctx = Ctx({"name": "x' or 'a' == 'a"})
    assert ev("name == 'alice'", ctx) is False


@pytest.mark.parametrize(
    "text",
    ["", "n >", "n == == 1", "__import__('os')", "open('f')", "a.b.", "(n > 1", "n > 1)", "x = 1", "n; m"],
)
def test_malformed_or_foreign_expressions_are_rejected(text: str):
    with pytest.raises(ConfigError):
        parse_expression(text)


def test_unknown_variables_name_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown variable 'm' \(known: n\)"):
        ev("m > 1", Ctx({"n": 1}))


@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_raises_config_error_only(text: str):
    try:
        node = parse_expression(text)
    except ConfigError:
        return
    assert isinstance(node, Const | Var | Call | Not | BoolOp | Compare)
