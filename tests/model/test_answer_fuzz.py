"""Property tests: any model answer becomes actions on the screen or a ModelOutputError,
with every answer parser (Qwen3-VL, UI-TARS, the planner's JSON step).

A seeded sample of the fuzz cases of ``devtools/fuzz_answers.py`` (which runs a million on
demand) plus hypothesis strategies over arbitrary text and arbitrary JSON arguments."""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.fuzz_answers import ACTIONS, KEYS, Tally, check, make_case
from screenpilot.model.answer_text import MAX_ANSWER_CHARS
from screenpilot.model.planner.answer import parse_plan
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.uitars.actions import TarsContext
from screenpilot.model.uitars.actions import to_actions as tars_actions
from screenpilot.model.uitars.parser import parse_answer
from screenpilot.tools.errors import ModelOutputError

SAMPLE = 3000

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(KEYS), kids, max_size=4),
    max_leaves=12,
)


def _assert_clean(tally: Tally) -> None:
    assert dict(tally.crashes) == {}, tally.examples
    assert tally.outside == 0, tally.examples.get("outside")


def test_seeded_fuzz_sample() -> None:
    tally = Tally()
    rng = random.Random(20231)
    for _ in range(SAMPLE):
        check(make_case(rng), tally)
    _assert_clean(tally)
    assert tally.accepted > 100 and tally.points > 100  # the sample reaches the mapper, not only the parser


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_actions_or_a_model_output_error(text: str) -> None:
    tally = Tally()
    check(text, tally)
    _assert_clean(tally)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ACTIONS),
    st.dictionaries(st.sampled_from(KEYS), json_values, max_size=4),
    st.sampled_from(("json", "xml")),
)
def test_any_arguments_are_actions_or_a_model_output_error(
    action: str, args: dict[str, Any], form: str
) -> None:
    args = {**args, "action": action}
    if form == "json":
        body = json.dumps({"name": "computer_use", "arguments": args}, default=str)
        text = f"<tool_call>{body}</tool_call>"
    else:
        params = "".join(f"<parameter={k}>{json.dumps(v, default=str)}</parameter>" for k, v in args.items())
        text = f"<tool_call><function=computer_use>{params}</function></tool_call>"
    tally = Tally()
    check(text, tally)
    _assert_clean(tally)


PARSERS = (parse_response, parse_answer, parse_plan)
UNITS = ("<function=", "{", "[", "<tool_call>", '{"a":"', '{"action":"', "}{", " ", "<parameter=a>",
         "Thought:", ")\n \n", "Action: click(a='")  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(UNITS), st.sampled_from(PARSERS))
def test_degenerate_answers_parse_in_linear_time(unit: str, parse: Callable[[str], object]) -> None:
    """Parsing the longest accepted answer made of one repeated unit takes well under a second
    of CPU (quadratic parsing took 17 s on 128 KB), with every parser."""
    text = unit * (MAX_ANSWER_CHARS // len(unit))
    started = time.process_time()  # CPU time: other jobs on a busy machine do not count
    with contextlib.suppress(ModelOutputError):
        parse(text)
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Action: long_press(start_box='(10,20)', time='900')",
        "Action: long_press(start_box='(10,20)', time='nan')",
        "Action: click(start_box='(1e999,2)')",
        "Action: click(start_box='(" + "9" * 400 + ",2)')",
        "Action: drag(start_box='(1,2)', end_box='(-5,2)')",
    ],
)
def test_uitars_answers_out_of_range_are_model_output_errors(text: str) -> None:
    from devtools.fuzz_answers import SETUPS
    from screenpilot.model.coords import CoordinateMapper

    convention, geometry, model_image, _ = SETUPS[1]
    ctx = TarsContext(mapper=CoordinateMapper(convention, geometry, model_image))
    with pytest.raises(ModelOutputError):
        tars_actions(parse_answer(text).calls, ctx)


@pytest.mark.parametrize(
    "text",
    [
        '{"action": "wait", "seconds": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"action": "wait", "seconds": 1e999}',
        "{" * (MAX_ANSWER_CHARS + 1),
        'Thought: {unclosed {"action": "scroll", "direction": "sideways"}',
    ],
)
def test_planner_answers_out_of_range_are_model_output_errors(text: str) -> None:
    with pytest.raises(ModelOutputError):
        parse_plan(text)


def test_planner_finds_its_step_after_an_unclosed_brace() -> None:
    assert parse_plan('I would {maybe say: {"action": "click", "target": "OK"}').target == "OK"


def test_answers_past_the_cap_are_refused_unparsed() -> None:
    try:
        parse_response("{" * (MAX_ANSWER_CHARS + 1))
    except ModelOutputError as e:
        assert "characters long" in str(e) and len(e.raw) < 5000
    else:
        raise AssertionError("an over-long answer was parsed")


def test_grounding_answers_are_a_location_or_a_model_output_error() -> None:
    """``screenpilot ground`` reads ``bbox_2d`` / ``point_2d`` answers with the same guarantee."""
    from devtools.fuzz_answers import NUMBERS, SETUPS
    from screenpilot.model.coords import CoordinateMapper
    from screenpilot.model.qwen.grounder import read_location

    rng = random.Random(7)
    convention, geometry, model_image, _ = SETUPS[0]
    mapper = CoordinateMapper(convention, geometry, model_image)
    texts = [make_case(rng) for _ in range(300)]
    for _ in range(300):
        numbers = [rng.choice(NUMBERS) for _ in range(rng.choice((1, 2, 4, 5)))]
        key = rng.choice(("bbox_2d", "point_2d"))
        texts.append(json.dumps([{key: numbers, "label": "x"}], default=str))
    texts += ["{" * 5000 + '"bbox_2d": [1, 2, 3, 4]', '{"point_2d": [' + "[" * 5000 + "]}"]
    for text in texts:
        with contextlib.suppress(ModelOutputError):
            read_location(text, mapper)
