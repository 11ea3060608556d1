"""The offline policy's seeing and doing skills on pages written for these tests.

One Chromium and one local server serve every test; each test runs the real agent loop
with the offline policy on one page and checks what the page itself recorded
(``window.log``, field values), never the policy's own word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import RunResult
from screenpilot.agent.secrets import SecretStore
from screenpilot.app.demo_site.server import serve_directory
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.driver import shared_browser
from screenpilot.model.offline.policy import OfflinePolicy, OfflinePolicyConfig

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = Path(__file__).parent / "pages" / "skills"
BROWSER = {"executable_path": "/usr/bin/chromium", "viewport_width": 420, "viewport_height": 420}


@pytest.fixture(scope="module", autouse=True)
def _one_chromium() -> Iterator[None]:
    with shared_browser(BrowserConfig.model_validate(BROWSER)):
        yield


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_directory(PAGES) as url:
        yield url


class Page:
    """One page in the shared browser, run with the offline policy."""

    def __init__(self, base: str, name: str) -> None:
        self.env = BrowserEnvironment(
            BrowserConfig.model_validate({**BROWSER, "start_url": f"{base}/{name}"})
        )
        self.policy = OfflinePolicy(OfflinePolicyConfig(ocr="off", submit_when_done=False))

    def run(
        self, task: str, *, steps: int = 20, secrets: SecretStore | None = None, fresh: bool = False
    ) -> RunResult:
        agent = Agent(
            self.env, self.policy, AgentConfig(max_steps=steps, max_seconds=60), secrets=secrets, out_dir=None
        )
        return agent.run(task, reset=fresh)

    def js(self, expression: str) -> Any:
        return self.env.evaluate(expression)

    def close(self) -> None:
        self.env.close()


@pytest.fixture
def page(base: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    p = Page(base, request.param)
    p.env.reset()
    yield p
    p.close()


@pytest.mark.parametrize("page", ["words.html"], indirect=True)
def test_words_inside_a_paragraph_are_targets_and_the_instruction_panel_is_not(page: Page) -> None:
    result = page.run('Click on the word "gamma".')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["gamma"]  # the exact case, not "Gamma", not the panel's words
    result = page.run('点击"丙"')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["gamma", "丙"]


@pytest.mark.parametrize("page", ["posts.html"], indirect=True)
def test_targets_scoped_to_a_record_and_quantified_over_records(page: Page) -> None:
    result = page.run('For the user @bo, click on the "Mute" button.')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["mute:@bo:1"]  # found in @bo's "more" menu, not in another post
    result = page.run('Click the "Like" button on all posts by @ann and then click Submit.')
    assert result.status == "success", result.reason
    log = page.js("window.log")
    assert sorted(x for x in log if x.startswith("like")) == ["like:@ann:0", "like:@ann:2"]
    assert log[-1] == "submit"


@pytest.mark.parametrize("page", ["explore.html"], indirect=True)
def test_targets_off_the_screen_are_looked_for_in_tabs_sections_trees_and_pages(page: Page) -> None:
    result = page.run('Switch between the tabs to find and click on the link "omega".')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["omega"]  # opened Tab #2, then expanded Section A
    result = page.run('Navigate through the file tree. Find and click on the file named "plan.txt".')
    assert result.status == "success", result.reason
    result = page.run("Click the 5th result")
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["omega", "plan.txt", "result:Eli"]  # page 2 of 3-a-page


@pytest.mark.parametrize("page", ["widgets.html"], indirect=True)
def test_value_controls_are_set_and_read_back(page: Page) -> None:
    tasks = [
        "Set the volume slider to 7",
        "Select 3 with the spinner",
        "Enter 03/15/2024 as the date",
        "Enter 9:05 PM as the time",
        "Choose Medium from the Size dropdown",
        'Enter a city that starts with "Ber" and ends with "gen"',
        "Select maroon with the color picker and hit Submit",
    ]
    for task in tasks:
        result = page.run(task)
        assert result.status == "success", f"{task}: {result.reason}"
    got = page.js(
        "[document.getElementById('vol').textContent, document.getElementById('qty').value,"
        " document.getElementById('day').value, document.getElementById('at').value,"
        " document.getElementById('sizev').textContent, document.getElementById('city').value,"
        " document.getElementById('col').value, window.log]"
    )
    assert got == ["7", "3", "2024-03-15", "21:05", "Medium", "Bergen", "800000", ["submit"]]


@pytest.mark.parametrize("page", ["menu.html"], indirect=True)
def test_nested_menus_are_opened_as_a_hover_chain(page: Page) -> None:
    result = page.run("Select File > Export > PDF")
    assert result.status == "success", result.reason
    result = page.run("选择 文件 > 导出 > 表格")
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["PDF", "表格"]  # each leaf reached through its open parents


@pytest.mark.parametrize("page", ["calendar.html"], indirect=True)
def test_a_date_is_picked_in_a_pop_up_calendar(page: Page) -> None:
    result = page.run("Select 02/10/2025 as the date")
    assert result.status == "success", result.reason
    assert page.js("document.getElementById('when').value") == "02/10/2025"  # eleven months on


@pytest.mark.parametrize("page", ["texts.html"], indirect=True)
def test_values_read_off_the_page_copy_paste_and_selection(page: Page) -> None:
    result = page.run("Enter the value of Color into the Answer field")
    assert result.status == "success", result.reason
    assert page.js("document.getElementById('ans').value") == "teal"
    result = page.run(
        "Find the 3rd word in the 1st paragraph, type that into the Answer field and press Submit."
    )
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["submit:foxes"]
    result = page.run("Copy the text in the text area and paste it into the Answer field")
    assert result.status == "success", result.reason
    assert page.js("document.getElementById('ans').value") == "copy me exactly"
    result = page.run("Highlight the text in the 2nd paragraph")
    assert result.status == "success", result.reason
    assert page.js("window.getSelection().toString().trim()") == "Second paragraph, with other words."
    result = page.run("在Answer中输入颜色的值")
    assert result.status == "success", result.reason
    assert page.js("document.getElementById('ans').value") == "绿色"


@pytest.mark.parametrize("page", ["texts.html"], indirect=True)
def test_a_filled_form_that_was_never_sent_gets_its_submit_pressed(page: Page) -> None:
    page.policy = OfflinePolicy(OfflinePolicyConfig(ocr="off"))  # submit_when_done by default
    result = page.run('Type "Ada" into the Answer field')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["submit:Ada"]  # the stated step, then the form's Submit
    assert "Submit" in result.reason


@pytest.mark.parametrize("page", ["drag.html"], indirect=True)
def test_drag_onto_a_target_and_into_a_position(page: Page) -> None:
    result = page.run('Drag "Cherry" to the 1st position')
    assert result.status == "success", result.reason
    result = page.run('Drag "Apple" onto the Basket')
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["order:Cherry,Apple,Banana", "basket:Apple"]


@pytest.mark.parametrize("page", ["dialog.html"], indirect=True)
def test_a_dialog_closed_by_its_close_glyph_in_chinese(page: Page) -> None:
    result = page.run("关闭对话框")
    assert result.status == "success", result.reason
    assert page.js("window.log") == ["closed"]
    assert "went away" in result.reason  # the dialog is seen gone: the step's evidence


@pytest.mark.parametrize("page", ["dialog.html"], indirect=True)
def test_effects_come_from_the_browser_and_covered_or_dead_clicks_fail_with_the_reason(page: Page) -> None:
    # an animation runs beside the dead control: moving pixels the browser saw no DOM
    # change behind are not the click's effect
    result = page.run('Click "无反应"')
    assert result.status == "failure"
    assert "nothing changed" in result.reason and "无反应" in result.reason
    # a JavaScript dialog is seen only by the browser's own effect measure
    result = page.run("Click Notify")
    assert result.status == "success", result.reason
    assert "dialog" in result.reason and page.js("window.log") == ["notified"]
    result = page.run("Click Save")
    assert result.status == "failure"
    assert "div#shade" in result.reason and "covers button 'Save'" in result.reason
    assert "saved" not in page.js("window.log")


@pytest.mark.parametrize("page", ["texts.html"], indirect=True)
def test_secrets_are_typed_by_name_and_never_written_anywhere(page: Page, tmp_path: Path) -> None:
    secrets = SecretStore({"pw": "hunter2-s3cret"})
    agent = Agent(page.env, page.policy, AgentConfig(max_steps=10), secrets=secrets, out_dir=tmp_path)
    result = agent.run("Type {{secret:pw}} into the Password field", reset=False)
    assert result.status == "success", result.reason
    assert page.js("document.getElementById('pw').value") == "hunter2-s3cret"
    written = "".join(
        p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".png"
    )
    assert "hunter2-s3cret" not in written and "{{secret:pw}}" in written
