import json

import pytest
from pydantic import ValidationError

from screenpilot.tools.actions import (
    Click,
    Drag,
    KeyPress,
    TypeText,
    action_json_schema,
    action_kinds,
    parse_action,
    points_of,
)
from screenpilot.tools.points import Box, CoordSpace, Point


def test_every_verb_round_trips_through_json():
    samples = [
        {"action": "click", "at": {"x": 1, "y": 2, "space": "rel1000"}, "count": 2},
        {"action": "mouse_move", "at": {"x": 1, "y": 2}},
        {"action": "drag", "path": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]},
        {"action": "drag", "path": [{"x": 3, "y": 4}], "from_pointer": True},
        {"action": "swipe", "start": {"x": 1, "y": 2}, "end": {"x": 3, "y": 4}},
        {"action": "long_press", "at": {"x": 1, "y": 2}, "seconds": 2},
        {"action": "type", "text": "héllo 你好"},
        {"action": "type", "secret": "password"},
        {"action": "key", "keys": ["ctrl", "c"]},
        {"action": "scroll", "direction": "down", "amount": 5},
        {"action": "wait", "seconds": 1},
        {"action": "navigate", "url": "https://example.com"},
        {"action": "back"},
        {"action": "forward"},
        {"action": "reload"},
        {"action": "new_tab"},
        {"action": "switch_tab", "index": 1},
        {"action": "close_tab"},
        {"action": "open_app", "name": "Settings"},
        {"action": "system_button", "button": "home"},
        {"action": "answer", "text": "42"},
        {"action": "terminate", "status": "failure"},
    ]
    seen = set()
    for data in samples:
        action = parse_action(data)
        assert parse_action(action.model_dump_json()) == action
        seen.add(action.action)
    assert seen == action_kinds()


def test_schema_export_names_every_verb():
    schema = action_json_schema()
    text = json.dumps(schema)
    for kind in action_kinds():
        assert f'"{kind}"' in text
    assert schema["discriminator"]["propertyName"] == "action"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "click"},
        {"action": "click", "at": {"x": 1, "y": 2}, "count": 4},
        {"action": "drag", "path": [{"x": 1, "y": 2}]},
        {"action": "type"},
        {"action": "type", "text": "a", "secret": "b"},
        {"action": "key", "keys": []},
        {"action": "key", "keys": ["hyperspace"]},
        {"action": "explode"},
        {"action": "click", "at": {"x": float("nan"), "y": 2}},
        {"action": "click", "at": {"x": 1, "y": 2}, "extra": True},
    ],
)
def test_invalid_actions_are_rejected(data):
    with pytest.raises(ValidationError):
        parse_action(data)


def test_actions_are_immutable_and_describe_themselves():
    c = Click(at=Point(x=10, y=20, space=CoordSpace.REL1000))
    with pytest.raises(ValidationError):
        c.count = 2  # type: ignore[misc]
    assert c.describe() == "click(at=(10, 20))"
    assert TypeText(secret="pw").describe() == "type(secret='pw')"


def test_points_of_lists_targets_in_order():
    d = Drag(path=(Point(x=1, y=1), Point(x=2, y=2), Point(x=3, y=3)))
    assert [p.x for p in points_of(d)] == [1, 2, 3]
    assert points_of(KeyPress(keys=("enter",))) == []


def test_box_contains_and_refuses_mixed_spaces():
    b = Box(x0=0, y0=0, x1=10, y1=10)
    assert b.contains(Point(x=5, y=5))
    assert not b.contains(Point(x=11, y=5))
    with pytest.raises(ValueError):
        b.contains(Point(x=5, y=5, space=CoordSpace.REL1000))
