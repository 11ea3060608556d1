"""Forms, typing, keys, links, tabs, scrolling and frames in real headless Chromium."""

from __future__ import annotations

import socket

import pytest

from screenpilot.environments.browser import BrowserEnvironment
from screenpilot.tools.actions import (
    Click,
    CloseTab,
    GoBack,
    GoForward,
    KeyPress,
    Navigate,
    NewTab,
    Reload,
    Scroll,
    ScrollDirection,
    SwitchTab,
    TypeText,
)
from screenpilot.tools.errors import ActionRejected, DriverError
from screenpilot.tools.points import CoordSpace
from tests.environments.browser.helpers import by_attr_id, find, point_in
from tests.environments.browser.server import PageServer


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_observation_shape(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("form.html"))
    obs = env.observe()
    assert obs.screenshot.size == (1280, 800)
    assert obs.geometry.logical_size.width == 1280
    assert obs.url == server.url("form.html")
    assert obs.title == "Form"
    assert [t.active for t in obs.tabs] == [True]
    name = by_attr_id(obs, "name")
    assert name.role == "textbox" and name.editable and name.placeholder == "Your name"
    assert name.name.startswith("Name")
    assert by_attr_id(obs, "agree").checked is False
    assert by_attr_id(obs, "submit").role == "button"
    pw = by_attr_id(obs, "pw")
    assert pw.attributes["type"] == "password"


def test_form_typing_checkbox_and_enter(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("form.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "name"))))
    env.execute(TypeText(text="Ada Lovelace"))
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "agree"), CoordSpace.REL1000)))
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "name"))))
    env.execute(TypeText(text="Grace Hopper", clear_first=True, submit=True))
    env.settle(2.0)
    after = env.observe()
    assert by_attr_id(after, "name").value == "Grace Hopper"
    assert by_attr_id(after, "agree").checked is True
    assert env.evaluate("document.getElementById('out').textContent") == "submitted:Grace Hopper:true"


def test_cjk_and_emoji_typing(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("form.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "notes"))))
    text = "你好，世界 こんにちは カタカナ 😀👍🏽 mixed ASCII\nline two"
    env.execute(TypeText(text=text))
    assert env.evaluate("document.getElementById('notes').value") == text


def test_key_chords(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("form.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "name"))))
    env.execute(TypeText(text="abc"))
    env.execute(KeyPress(keys=("shift", "a")))
    env.execute(KeyPress(keys=("ctrl", "a")))
    env.execute(KeyPress(keys=("backspace",)))
    env.execute(TypeText(text="x"))
    env.execute(KeyPress(keys=("left",)))
    env.execute(TypeText(text="y"))
    assert env.evaluate("document.getElementById('name').value") == "yx"
    env.execute(KeyPress(keys=("tab",)))
    assert env.evaluate("document.activeElement.id") == "pw"


def test_links_history_and_reload(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("links.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "plain"))))
    env.settle(2.0)
    assert env.observe().url == server.url("form.html")
    assert "go back" in env.execute(GoBack()).message
    assert env.observe().url == server.url("links.html")
    env.execute(GoForward())
    assert env.observe().title == "Form"
    env.evaluate("document.title = 'changed'")
    env.execute(Reload())
    assert env.observe().title == "Form"


def test_new_tab_is_followed_and_tabs_can_be_switched(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("links.html"))
    env.observe()
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "blank"))))
    env.settle(2.0)
    after = env.observe()
    assert len(after.tabs) == 2 and after.tabs[1].active, after.tabs
    assert after.url == server.url("form.html")
    assert any("new tab" in n for n in after.notices)
    assert after.tabs[1].title == "Form"
    env.execute(SwitchTab(index=0))
    assert env.observe().url == server.url("links.html")
    with pytest.raises(DriverError):
        env.execute(SwitchTab(index=5))
    env.execute(CloseTab(index=1))
    assert len(env.observe().tabs) == 1
    env.execute(NewTab(url=server.url("form.html")))
    obs = env.observe()
    assert [t.active for t in obs.tabs] == [False, True] and obs.title == "Form"
    env.execute(CloseTab())
    assert env.observe().url == server.url("links.html")


def test_failed_load_and_http_error_are_reported(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("links.html"))
    env.observe()
    with pytest.raises(DriverError, match="ERR_CONNECTION_REFUSED"):
        env.execute(Navigate(url=f"http://127.0.0.1:{closed_port()}/nothing"))
    obs = env.observe()
    assert any("failed to load" in n and "ERR_CONNECTION_REFUSED" in n for n in obs.notices)
    env.goto(server.url("links.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "missing"))))
    env.settle(2.0)
    obs = env.observe()
    assert any("HTTP 404" in n for n in obs.notices)
    assert obs.title == "Error 404"


def test_scroll_container(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("scroll.html"))
    obs = env.observe()
    first = by_attr_id(obs, "item0")
    assert first.visible and not by_attr_id(obs, "item30").visible
    env.execute(Scroll(at=point_in(obs, first), direction=ScrollDirection.DOWN, amount=10))
    env.settle(2.0)
    assert env.evaluate("document.getElementById('box').scrollTop") > 500
    obs = env.observe()
    target = find(obs, lambda e: e.visible and e.text.startswith("Item 2") and len(e.text) == 7)
    env.execute(Click(at=point_in(obs, target)))
    assert env.evaluate("document.title") == f"clicked {target.text.split()[1]}"


def test_iframe_elements_have_page_coordinates(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("iframe.html"))
    env.settle(2.0)
    obs = env.observe()
    inner = find(obs, lambda e: e.attributes.get("id") == "ib")
    assert inner.id.startswith("f1.") and inner.attributes["frame"]
    # iframe at (200, 150) + 7px border + 3px padding; button at (150, 80) inside
    assert inner.box.x0 == pytest.approx(360, abs=0.5) and inner.box.y0 == pytest.approx(240, abs=0.5)
    env.execute(Click(at=point_in(obs, inner, CoordSpace.REL1000)))
    frame = env.page.frames[1]
    assert frame.evaluate("document.getElementById('ib').textContent") == "done"
    field = find(obs, lambda e: e.placeholder == "inner field")
    env.execute(Click(at=point_in(obs, field)))
    env.execute(TypeText(text="inside"))
    assert frame.evaluate("document.getElementById('it').value") == "inside"


def test_rejections(env: BrowserEnvironment) -> None:
    with pytest.raises(ActionRejected):
        env.execute(Navigate(url="javascript:alert(1)"))
    from screenpilot.tools.actions import OpenApp

    with pytest.raises(ActionRejected):
        env.execute(OpenApp(name="calc"))


def test_downloads_and_file_pickers_are_reported(env: BrowserEnvironment, server: PageServer) -> None:
    env.goto(server.url("files.html"))
    obs = env.observe()
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "dl"))))
    env.execute(Click(at=point_in(obs, by_attr_id(obs, "up"))))
    env.settle(1.0)
    notices = env.observe().notices
    assert any("download of 'report.txt'" in n for n in notices), notices
    assert any("file picker" in n for n in notices), notices
