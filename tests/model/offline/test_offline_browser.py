"""The offline policy completes multi-step form tasks in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.app.cli.main import main
from screenpilot.app.demo_site.server import demo_pages, serve_directory
from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.driver import shared_browser
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.policy import OfflinePolicy, OfflinePolicyConfig
from screenpilot.tools.actions import Action
from screenpilot.tools.perception.ocr import OcrEngine

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BROWSER = {"executable_path": "/usr/bin/chromium"}
ZH_PAGES = Path(__file__).parents[2] / "tools" / "perception" / "pages"
SIGN_IN = (
    'Type "ada" into User name, type "lovelace" into Password, check "Keep me signed in" '
    'and click Sign in, then wait until "Welcome, ada" appears'
)


@pytest.fixture(scope="module", autouse=True)
def _one_chromium() -> Iterator[None]:
    with shared_browser(BrowserConfig.model_validate(BROWSER)):
        yield


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve_directory(demo_pages()) as base:
        yield base


def _browser(url: str) -> BrowserEnvironment:
    return BrowserEnvironment(BrowserConfig.model_validate({**BROWSER, "start_url": url}))


class PixelsOnly:
    """The same browser with its element tree withheld, as on a platform that has none."""

    def __init__(self, env: BrowserEnvironment) -> None:
        self.env = env

    @property
    def capabilities(self) -> Capabilities:
        return self.env.capabilities.model_copy(update={"elements": False})

    def reset(self) -> Observation:
        return self.env.reset().model_copy(update={"elements": ()})

    def observe(self) -> Observation:
        return self.env.observe().model_copy(update={"elements": ()})

    def execute(self, action: Action) -> StepResult:
        return self.env.execute(action)

    def settle(self, timeout_s: float) -> SettleResult:
        return self.env.settle(timeout_s)

    def close(self) -> None:
        self.env.close()


def test_demo_command_signs_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "success" in out and "signed in as ada" in out


def test_sign_in_with_elements(demo_url: str) -> None:
    env = _browser(f"{demo_url}/login.html")
    try:
        result = Agent(
            env, OfflinePolicy(OfflinePolicyConfig(ocr="auto")), AgentConfig(max_steps=20), out_dir=None
        ).run(
            SIGN_IN + ', open the Settings tab, check "Email me about new orders" '
            'and select "Weekly" from Order digest'
        )
        assert result.status == "success", result.reason
        assert "dashboard.html" in (env.page.url or "")
        assert "remember=yes" in env.page.url
        assert env.evaluate("document.getElementById('mail').checked") is True
        assert env.evaluate("document.getElementById('digest').value") == "Weekly"
    finally:
        env.close()


def test_sign_in_from_pixels_only(demo_url: str, ocr_engine: OcrEngine) -> None:
    env = _browser(f"{demo_url}/login.html")
    try:
        policy = OfflinePolicy(OfflinePolicyConfig(ocr="auto"), engine=ocr_engine)
        result = Agent(PixelsOnly(env), policy, AgentConfig(max_steps=20), out_dir=None).run(SIGN_IN)
        assert result.status == "success", result.reason
        assert "dashboard.html?user=ada&remember=yes" in env.page.url
    finally:
        env.close()


def test_chinese_instruction_on_a_chinese_page() -> None:
    with serve_directory(ZH_PAGES) as base:
        env = _browser(f"{base}/zh.html")
        try:
            task = '在用户名中输入"ada"，然后勾选"记住我"并点击"登录"按钮'
            result = Agent(env, OfflinePolicy(), AgentConfig(max_steps=10), out_dir=None).run(task)
            assert result.status == "success", result.reason
            assert env.evaluate("document.getElementById('u').value") == "ada"
            assert env.evaluate("document.getElementById('r').checked") is True
            assert env.evaluate("window.clicks") == ["login"]
        finally:
            env.close()
