"""Workflow look-ups follow the capabilities: page scripting, whatever the platform is called."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from screenpilot.environments.base import Capabilities
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.hermetic import LOCAL_PAGE
from screenpilot.model.qwen.prompt import PromptBuilder, PromptSettings
from screenpilot.model.qwen.prompt_text import load_prompt_text
from screenpilot.workflows.lookups import lookups_for
from tests.environments.kiosk import KioskEnvironment

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class WebView(BrowserEnvironment):
    """A made-up embedded web view: the browser driver under a name nothing knows."""

    def __init__(self, *, scripting: bool) -> None:
        super().__init__(BrowserConfig(start_url="data:text/html," + quote(LOCAL_PAGE)))
        self.scripting = scripting

    @property
    def capabilities(self) -> Capabilities:
        return super().capabilities.model_copy(update={"platform": "webview", "scripting": self.scripting})


@pytest.fixture(scope="module")
def webview() -> Iterator[WebView]:
    env = WebView(scripting=True)
    yield env
    env.close()


def test_a_scriptable_page_answers_css_and_text_targets_itself(webview: WebView) -> None:
    obs = webview.reset()
    assert obs.platform == "webview"
    found = lookups_for(webview)
    assert found.element_query is not None and found.text_finder is not None
    (send,) = found.element_query(obs, "#send")
    assert send.text == "Send" and send.role == "button" and send.source == "element"
    heading = found.text_finder(obs, "Local page", True)
    assert heading and heading[0].role == "h1"
    assert found.read_region is not None and "Local page" in found.read_region(obs, heading[0].box)
    # the prompt offers the browser tool because the view navigates, not because of a name
    builder = PromptBuilder(load_prompt_text(), PromptSettings())
    assert builder.tools_for(obs) == ("computer_use", "browser_use")


def test_without_scripting_the_same_driver_gets_no_page_lookups(webview: WebView) -> None:
    webview.scripting = False
    try:
        assert lookups_for(webview).element_query is None
    finally:
        webview.scripting = True
    assert lookups_for(KioskEnvironment()).element_query is None
