"""The agent and the qwen3vl policy sign in on a real page in Chromium, at DPR 1 and 2."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.browser.driver import shared_browser
from screenpilot.environments.geometry import Size
from screenpilot.model.imaging import resized_size
from screenpilot.model.qwen.imaging import budget
from tests.model.oracle import Move, Oracle
from tests.model.qwen_server import QwenTestServer
from tests.model.truth_recorder import TruthRecorder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = Path(__file__).parent / "pages"
PASSWORD = "wonderland"

_TRUTH = """() => {
  const box = (id) => { const el = document.getElementById(id); if (!el) return null;
    const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
  const v = (id) => { const el = document.getElementById(id); return el ? el.value : null; };
  const focus = document.activeElement && document.activeElement.id;
  return {path: location.pathname, signedIn: !!window.signedIn, focus: focus,
          user: v('user'), pw: v('pw'), boxes: {user: box('user'), pw: box('pw'), go: box('go')}};
}"""


@pytest.fixture(scope="module", autouse=True)
def _one_chromium() -> Iterator[None]:
    """Both scale factors share one Chromium (each environment gets its own context)."""
    with shared_browser(BrowserConfig(executable_path="/usr/bin/chromium")):
        yield


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(PAGES))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def plan(rec: TruthRecorder, base: str) -> Any:
    def move() -> Move:
        t = rec.truth
        if t["path"] != "/signin.html":
            args = {"url": f"{base}/signin.html", "_tool": "browser_use"}
            return "navigate", args, None, "Open the sign-in page."
        if t["signedIn"]:
            return "terminate", {"status": "success"}, None, "Signed in."
        if t["user"] != "alice":
            if t["focus"] != "user":
                return "left_click", {}, tuple(t["boxes"]["user"]), "Focus the username field."
            return "type", {"text": "alice"}, None, "Type the user name."
        if t["pw"] != PASSWORD:
            if t["focus"] != "pw":
                return "left_click", {}, tuple(t["boxes"]["pw"]), "Focus the password field."
            return "type", {"text": "{{secret:PASSWORD}}"}, None, "Type the password."
        return "left_click", {}, tuple(t["boxes"]["go"]), "Submit."

    return move


@pytest.mark.parametrize("dpr", [1.0, 2.0], ids=["dpr1", "dpr2"])
def test_agent_signs_in_in_chromium(dpr: float, pages: str, tmp_path: Path) -> None:
    env = BrowserEnvironment(
        BrowserConfig(
            executable_path="/usr/bin/chromium",
            device_scale_factor=dpr,
            start_url=f"{pages}/start.html",
            settle_quiet_s=0.1,
        )
    )
    rec = TruthRecorder(env, _TRUTH, {})
    # the native budget: 1280x800 and 2560x1600 both reach the model at their own size
    expected = resized_size(Size(width=round(1280 * dpr), height=round(800 * dpr)), 32, budget("native"))
    assert (expected.width, expected.height) == (round(1280 * dpr), round(800 * dpr))
    oracle = Oracle(plan(rec, pages), (1280, 800), malformed_at=(3,))
    try:
        with QwenTestServer(oracle, expect_size=lambda: (expected.width, expected.height)) as server:
            policy = create(
                "policies",
                "qwen3vl",
                {"endpoint": server.url, "model": "Qwen/Qwen3-VL-8B-Instruct", "secrets": "PASSWORD"},
            )
            config = AgentConfig(max_steps=12, retry=RetryConfig(base_s=0.01, max_s=0.05))
            agent = Agent(rec, policy, config, secrets=SecretStore({"PASSWORD": PASSWORD}), out_dir=tmp_path)
            result = agent.run("Sign in as alice")
            clicks = env.evaluate("window.clicks")
    finally:
        env.close()
    assert server.errors == []
    assert result.status == "success", result.reason
    # every click landed on the element the oracle aimed at
    assert [c[2] for c in clicks] == ["user", "pw", "go"]
    assert '"name": "browser_use"' in server.requests[0].system
    assert "Current URL:" in str(server.requests[0].messages[-1]["content"])
    assert all(PASSWORD not in str(r.body) for r in server.requests)
