"""JS alert, confirm and prompt under each dialog rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import Click, KeyPress, Navigate, TypeText
from screenpilot.tools.errors import ActionRejected
from screenpilot.tools.points import CoordSpace
from tests.environments.browser.conftest import make_env
from tests.environments.browser.helpers import by_attr_id, find, point_in
from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def press(env: BrowserEnvironment, dom_id: str) -> None:
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, dom_id))))
    env.settle(1.0)


def out(env: BrowserEnvironment) -> str:
    return str(env.evaluate("document.getElementById('out').textContent"))


def test_accept_rule(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("dialogs.html"))
    press(env, "alert")
    assert out(env) == "alerted"
    assert any("alert" in n and "Hello there" in n and "accepted" in n for n in env.observe().notices)
    press(env, "confirm")
    assert out(env) == "confirm:true"
    press(env, "prompt")
    assert out(env) == "prompt:anon"


@pytest.fixture(scope="module")
def dismissing(server: PageServer) -> Iterator[BrowserEnvironment]:
    env = make_env(dialog_policy="dismiss", start_url=server.url("dialogs.html"))
    env.reset()
    yield env
    env.close()


def test_dismiss_rule(dismissing: BrowserEnvironment) -> None:
    press(dismissing, "confirm")
    assert out(dismissing) == "confirm:false"
    assert any("Delete it?" in n and "dismissed" in n for n in dismissing.observe().notices)
    press(dismissing, "prompt")
    assert out(dismissing) == "prompt:null"


@pytest.fixture(scope="module")
def deciding(server: PageServer) -> Iterator[BrowserEnvironment]:
    env = make_env(dialog_policy="policy", start_url=server.url("dialogs.html"))
    env.reset()
    yield env
    env.close()


def test_policy_answers_confirm_by_clicking(deciding: BrowserEnvironment) -> None:
    obs = deciding.observe()
    result = deciding.execute(Click(at=point_in(obs, by_attr_id(obs, "confirm"))))
    assert "dialog opened" in result.message
    shown = deciding.observe()
    assert any("confirm dialog is open" in n and "Delete it?" in n for n in shown.notices)
    dialog = find(shown, lambda e: e.role == "alertdialog")
    assert dialog.text == "Delete it?"
    before = shown.screenshot.crop((0, 0, 1280, 800)).convert("L")
    assert before.getextrema()[0] < 100  # the dialog's text and buttons are drawn
    with pytest.raises(ActionRejected, match="dialog is open"):
        deciding.execute(Navigate(url="about:blank"))
    cancel = find(shown, lambda e: e.name == "Cancel")
    done = deciding.execute(Click(at=point_in(shown, cancel, CoordSpace.REL1000)))
    assert "dismissed" in done.message
    assert out(deciding) == "confirm:false"
    assert not any(e.role == "alertdialog" for e in deciding.observe().elements)


def test_policy_answers_prompt_by_typing(deciding: BrowserEnvironment) -> None:
    obs = deciding.observe()
    deciding.execute(Click(at=point_in(obs, by_attr_id(obs, "prompt"))))
    shown = deciding.observe()
    assert find(shown, lambda e: e.role == "textbox" and e.id == "dialog.input").value == "anon"
    deciding.execute(TypeText(text="Zoë 李", clear_first=True))
    deciding.execute(KeyPress(keys=("enter",)))
    assert out(deciding) == "prompt:Zoë 李"
    obs = deciding.observe()
    deciding.execute(Click(at=point_in(obs, by_attr_id(obs, "alert"))))
    shown = deciding.observe()
    ok = find(shown, lambda e: e.name == "OK")
    deciding.execute(Click(at=point_in(shown, ok)))
    assert out(deciding) == "alerted"


def test_policy_dialog_during_page_load(deciding: BrowserEnvironment, server: PageServer) -> None:
    result = deciding.execute(Navigate(url=server.url("onload_alert.html")))
    assert "dialog opened" in result.message
    shown = deciding.observe()
    assert find(shown, lambda e: e.role == "alertdialog").text == "Welcome!"
    deciding.execute(KeyPress(keys=("escape",)))
    deciding.settle(2.0)
    assert deciding.observe().title == "Loaded"


def test_policy_dialog_opening_while_the_page_is_read(
    deciding: BrowserEnvironment, server: PageServer
) -> None:
    deciding.goto(server.url("trap.html"))
    deciding.observe()
    deciding.evaluate("arm(); 1")
    shown = deciding.observe()  # the element pass itself trips the alert
    assert find(shown, lambda e: e.role == "alertdialog").text == "Surprise"
    assert any("Surprise" in n for n in shown.notices)
    deciding.execute(Click(at=point_in(shown, find(shown, lambda e: e.name == "OK"))))
    assert out(deciding) == "answered"
    assert any(e.attributes.get("id") == "b" for e in deciding.observe().elements)
