"""The interpreter parses a table of instructions in English and Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.interpreter import interpret
from screenpilot.tools.errors import ModelOutputError


def _s(kind: str, **kw: Any) -> dict[str, Any]:
    return {"kind": kind, **kw}


TABLE: list[tuple[str, list[dict[str, Any]]]] = [
    ("click Sign in", [_s("click", target="Sign in")]),
    ("Click on the second link", [_s("click", target="the second link")]),
    ('double-click "report.txt"', [_s("double_click", target='"report.txt"')]),
    ("right click the Trash icon", [_s("right_click", target="the Trash icon")]),
    ('type "alice" into the Username field', [_s("type", text="alice", target="the Username field")]),
    ("enter bob@example.com in Email", [_s("type", text="bob@example.com", target="Email")]),
    ("fill Email with bob@example.com", [_s("type", text="bob@example.com", target="Email")]),
    ('type "hello world"', [_s("type", text="hello world", target=None)]),
    ("clear the search box", [_s("clear", target="the search box")]),
    ("press Enter", [_s("press", keys=("enter",))]),
    ("press ctrl+a", [_s("press", keys=("ctrl", "a"))]),
    ("press the Submit button", [_s("click", target="the Submit button")]),
    ("scroll down", [_s("scroll", direction="down", target=None)]),
    ("scroll up 5 times in the sidebar", [_s("scroll", direction="up", amount=5.0, target="the sidebar")]),
    ("scroll to the bottom", [_s("scroll", direction="down", amount=50.0)]),
    ('select "Blue" from the Color dropdown', [_s("select", text="Blue", target="the Color dropdown")]),
    ("check Remember me", [_s("check", target="Remember me")]),
    ("uncheck Terms and Conditions", [_s("uncheck", target="Terms and Conditions")]),
    ("open https://example.com/a?b=1", [_s("open", text="https://example.com/a?b=1")]),
    ("go to example.org", [_s("open", text="https://example.org")]),
    ("open the Orders tab", [_s("click", target="the Orders tab")]),
    ('wait until "Welcome" appears', [_s("wait_text", text="Welcome")]),
    ("wait 2 seconds", [_s("wait", amount=2.0)]),
    ('answer "42"', [_s("answer", text="42")]),
    (
        'Type "ada" into User name, type "x, y" into Password, check "Keep me signed in" and click Sign in, '
        "then open the Orders tab",
        [
            _s("type", text="ada", target="User name"),
            _s("type", text="x, y", target="Password"),  # the comma inside quotes does not split
            _s("check", target='"Keep me signed in"'),
            _s("click", target="Sign in"),
            _s("click", target="the Orders tab"),
        ],
    ),
    # Chinese
    ("点击登录按钮", [_s("click", target="登录按钮")]),
    ('双击"报告.txt"', [_s("double_click", target='"报告.txt"')]),
    ("右键点击图标", [_s("right_click", target="图标")]),
    ('在用户名输入框中输入"alice"', [_s("type", text="alice", target="用户名输入框")]),
    ('输入"你好"到搜索框中', [_s("type", text="你好", target="搜索框")]),
    ("清空搜索框", [_s("clear", target="搜索框")]),
    ("按回车", [_s("press", keys=("enter",))]),
    ("按 ctrl+c", [_s("press", keys=("ctrl", "c"))]),
    ("向下滚动", [_s("scroll", direction="down")]),
    ("在侧边栏中向上滚动3次", [_s("scroll", direction="up", amount=3.0, target="侧边栏")]),
    ('从颜色下拉框中选择"蓝色"', [_s("select", text="蓝色", target="颜色下拉框")]),
    ("勾选记住我", [_s("check", target="记住我")]),
    ('取消勾选"订阅"', [_s("uncheck", target='"订阅"')]),
    ("打开 https://example.com", [_s("open", text="https://example.com")]),
    ('等待"欢迎"出现', [_s("wait_text", text="欢迎")]),
    ('回答"完成"', [_s("answer", text="完成")]),
    (
        '在用户名中输入"ada"，然后在密码中输入"pw"并勾选"记住我"，然后点击"登录"',
        [
            _s("type", text="ada", target="用户名"),
            _s("type", text="pw", target="密码"),
            _s("check", target='"记住我"'),
            _s("click", target='"登录"'),
        ],
    ),
]


@pytest.mark.parametrize(("instruction", "expected"), TABLE, ids=[t[0][:40] for t in TABLE])
def test_instruction_table(instruction: str, expected: list[dict[str, Any]]) -> None:
    steps = interpret(instruction)
    assert len(steps) == len(expected), [s.describe() for s in steps]
    for step, want in zip(steps, expected, strict=True):
        got = step.model_dump()
        assert {k: got[k] for k in want} == want, step.describe()


@pytest.mark.parametrize("instruction", ["", "   "])
def test_an_empty_instruction_is_refused(instruction: str) -> None:
    with pytest.raises(ModelOutputError, match="empty"):
        interpret(instruction)


@pytest.mark.parametrize("instruction", ["dance wildly", "the weather is nice"])
def test_words_no_frame_reads_become_an_unknown_step(instruction: str) -> None:
    (step,) = interpret(instruction)
    assert step.kind == "unknown" and step.text == instruction


def test_one_unread_clause_keeps_the_others() -> None:
    steps = interpret('Dance wildly, then click "OK"')
    assert [s.kind for s in steps] == ["unknown", "click"]


def test_clauses_keep_the_source_text() -> None:
    steps = interpret('click "OK" then press Escape')
    assert [s.clause for s in steps] == ['click "OK"', "press Escape"]


TARGETS: list[tuple[str, dict[str, Any]]] = [
    ("the Sign in button", {"text": "Sign in", "role": "button"}),
    ("the second link", {"text": "", "role": "link", "ordinal": 2}),
    ("the last checkbox", {"role": "checkbox", "ordinal": -1}),
    ("the 3rd field", {"role": "textbox", "ordinal": 3}),
    ("the field below Email", {"role": "textbox", "relation": "below", "anchor": "Email"}),
    ("the input to the right of Name", {"role": "textbox", "relation": "right_of", "anchor": "Name"}),
    ("Settings in the top right corner", {"text": "Settings", "vregion": "top", "hregion": "right"}),
    ("Top stories", {"text": "Top stories", "vregion": None}),
    ("Menu", {"text": "Menu", "role": None}),
    ('"Sign in"', {"text": "Sign in", "role": None}),
    ("第二个链接", {"role": "link", "ordinal": 2}),
    ("邮箱下面的输入框", {"role": "textbox", "relation": "below", "anchor": "邮箱"}),
    ("右上角的按钮", {"role": "button", "vregion": "top", "hregion": "right"}),
    ("登录按钮", {"text": "登录", "role": "button"}),
]


@pytest.mark.parametrize(("description", "expected"), TARGETS)
def test_target_hints(description: str, expected: dict[str, Any]) -> None:
    spec = parse_target(description).model_dump()
    assert {k: spec[k] for k in expected} == expected
