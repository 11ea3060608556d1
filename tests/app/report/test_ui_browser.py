"""The web UI, served for real on 127.0.0.1 and driven through headless Chromium."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from screenpilot.agent.entries import EntrySpec
from screenpilot.agent.registry import POLICIES
from screenpilot.agent.result import RunResult
from screenpilot.app.report.sample_runs import demo_env
from screenpilot.app.ui.app import UISettings, create_app
from screenpilot.app.ui.server import BackgroundServer
from screenpilot.environments.fake import FakeEnvironment
from tests.app.report.helpers import centroid_near, color_pixels

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEST_POLICIES = {
    "test-clicker": EntrySpec("tests.app.report.helpers:clicker", summary="clicks at x, y"),
    "test-box": EntrySpec("tests.app.report.helpers:box_grounder", summary="answers a box"),
    "test-slow": EntrySpec("tests.app.report.helpers:slow_signer", summary="signs in slowly"),
}


@pytest.fixture(scope="module")
def server(runs_dir: Path, demo_run: RunResult) -> Iterator[BackgroundServer]:
    with pytest.MonkeyPatch.context() as mp:
        for name, target in TEST_POLICIES.items():
            mp.setitem(POLICIES, name, target)
        with BackgroundServer(create_app(UISettings(runs_dir=runs_dir))) as srv:
            yield srv


@pytest.fixture(scope="module")
def page(browser: Browser, server: BackgroundServer) -> Iterator[Page]:
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    p.goto(server.url)
    p.wait_for_selector("#ground-policy option[value=test-clicker]", state="attached")
    yield p
    p.close()


@pytest.fixture(scope="module")
def screenshot_file(demo_run: RunResult) -> Path:
    """The first screenshot of the demo run (1200 x 900: the login form)."""
    assert demo_run.run_dir is not None
    first = json.loads((demo_run.run_dir / "events.jsonl").read_text().splitlines()[1])
    path = demo_run.run_dir / "shots" / f"{first['screenshot']}.png"
    assert Image.open(path).size == (1200, 900)
    return path


def ground(page: Page, policy: str, options: str, *, mode: str = "act", scale: str = "1") -> None:
    page.click("button[data-tab=ground]")
    page.fill("#instruction", "Click the username field")
    page.select_option("#ground-policy", policy)
    page.fill("#ground-options", options)
    page.select_option("#ground-mode", mode)
    page.fill("#ground-scale", scale)
    page.evaluate("document.getElementById('ground-result').replaceChildren()")
    page.click("#ground-btn")
    page.wait_for_selector("#ground-summary, #ground-result .error")


def overlay_shot(page: Page, selector: str, out: Path, image_width: int) -> tuple[Image.Image, float]:
    page.locator(selector).screenshot(path=str(out))
    shot = Image.open(out)
    return shot, shot.width / image_width


def test_uploaded_screenshot_shows_the_policys_click(
    page: Page, screenshot_file: Path, tmp_path: Path
) -> None:
    page.set_input_files("#image-input", str(screenshot_file))
    ground(page, "test-clicker", "x=250\ny=750")
    assert "1 mark(s)" in page.inner_text("#ground-summary")
    assert "click(at=(250, 750))" in page.inner_text("#ground-result")
    shot, k = overlay_shot(page, "#ground-img", tmp_path / "ground.png", 1200)
    (cx, cy), n = centroid_near(color_pixels(shot, "red"), (300 * k, 675 * k), radius=16 * k)
    assert n > 40
    assert abs(cx - 300 * k) < 3 and abs(cy - 675 * k) < 3


def test_locate_mode_draws_the_grounders_box_through_the_scale_factor(page: Page, tmp_path: Path) -> None:
    # a 1200 x 900 screenshot of a 600 x 450 logical screen: screen box (100,100)-(250,175)
    # covers image pixels (200,200)-(500,350)
    ground(page, "test-box", "x0=100\ny0=100\nx1=250\ny1=175", mode="locate", scale="2")
    shot, k = overlay_shot(page, "#ground-img", tmp_path / "box.png", 1200)
    red = color_pixels(shot, "red")
    for x, y in ((350, 200), (350, 350), (200, 275), (500, 275)):  # the middle of each edge
        assert centroid_near(red, (x * k, y * k), radius=4)[1] > 0, (x, y)
    assert centroid_near(red, (350 * k, 275 * k), radius=20 * k)[1] == 0  # hollow inside


def test_pasted_screenshot_is_grounded(page: Page, tmp_path: Path) -> None:
    env = FakeEnvironment()
    png = env.observe().png_bytes()  # an 800 x 600 login screen
    page.evaluate(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], "pasted.png", { type: "image/png" }));
            document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt }));
        }""",
        base64.b64encode(png).decode(),
    )
    page.wait_for_function("document.getElementById('ground-img').src.startsWith('data:image/png')")
    x, y = env.center_of("sign_in")
    ground(page, "test-clicker", f"x={x / 800 * 1000}\ny={y / 600 * 1000}")
    shot, k = overlay_shot(page, "#ground-img", tmp_path / "pasted.png", 800)
    (cx, cy), n = centroid_near(color_pixels(shot, "red"), (x * k, y * k), radius=16 * k)
    assert n > 20 and abs(cx - x * k) < 3 and abs(cy - y * k) < 3


def test_bad_policy_options_are_reported(page: Page) -> None:
    ground(page, "script", "")
    assert "bad options for the script policy" in page.inner_text("#ground-result .error")


def test_live_run_steps_arrive_while_it_runs(page: Page, tmp_path: Path) -> None:
    page.click("button[data-tab=run]")
    page.fill("#task", "Sign in as alice")
    page.select_option("#run-env", "fake")
    page.fill("#env-options", "scale_factor=2")
    page.select_option("#run-policy", "test-slow")
    page.fill("#run-options", "delay=0.4")
    page.click("#run-btn")
    page.wait_for_selector(".live-step", timeout=15_000)
    # the first step is shown while the run still goes on (3 more steps of 0.4 s each)
    assert page.get_attribute("#run-status", "data-state") == "running"
    assert page.locator(".live-step").count() < 4
    page.wait_for_selector("#live-report", timeout=20_000)
    assert page.get_attribute("#run-status", "data-state") == "success"
    assert page.locator(".live-step").count() == 4
    first = page.locator(".live-step").first
    first.locator("img").evaluate("img => img.complete || new Promise(r => img.onload = r)")
    shot, k = overlay_shot(page, ".live-step >> nth=0 >> img", tmp_path / "live.png", 1600)
    x, y = demo_env(2.0).center_of("username")
    # live cards are small (about a quarter of the 1600 px image): the marker's radius is
    # 1.2 % of the image's larger side, so look within 1.3 radii and allow 2 display pixels
    radius = 1.3 * 0.012 * 1600 * k
    (cx, cy), n = centroid_near(color_pixels(shot, "red"), (x * 2 * k, y * 2 * k), radius=radius)
    assert n > 5 and abs(cx - x * 2 * k) < 2 and abs(cy - y * 2 * k) < 2


def test_run_list_opens_reports(page: Page, tmp_path: Path) -> None:
    page.click("button[data-tab=runs]")
    row = page.locator("#runs-table tr[data-path=demo-run]")
    row.wait_for()
    assert "success" in row.inner_text()
    assert page.locator("#runs-table tbody tr").count() == 2  # the demo run and the live run
    row.locator("a.report-link").click()
    page.wait_for_url("**/report/demo-run")
    assert page.inner_text("h1") == "Sign in as alice with password wonderland"
    page.locator("#step-1 details.raw summary").click()
    assert "<tool_call>" in page.inner_text("#step-1 details.raw pre")
    page.click("a.back")
    page.wait_for_selector("#runs-table tr[data-path=demo-run]")
    assert page.url.endswith("/#runs")
    page.screenshot(path=str(tmp_path / "runs.png"))
    assert Image.open(tmp_path / "runs.png").size == (1280, 900)


def test_cross_site_simple_posts_and_foreign_hosts_are_refused(server: BackgroundServer) -> None:
    import urllib.error
    import urllib.request

    body = json.dumps({"task": "x", "policy": "test-slow"}).encode()
    req = urllib.request.Request(server.url + "/api/live", data=body, headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=5)
    assert e.value.code == 400
    rebound = urllib.request.Request(server.url + "/api/runs", headers={"Host": "evil.example:7860"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(rebound, timeout=5)
    assert e.value.code == 400


def test_stop_button_aborts_a_live_run(page: Page) -> None:
    page.click("button[data-tab=run]")
    page.fill("#task", "Sign in slowly")
    page.select_option("#run-env", "fake")
    page.fill("#env-options", "")
    page.select_option("#run-policy", "test-slow")
    page.fill("#run-options", "delay=1.0")
    page.click("#run-btn")
    page.wait_for_selector(".live-step", timeout=15_000)
    page.click("#stop-btn")
    page.wait_for_selector("#live-report", timeout=15_000)
    assert page.get_attribute("#run-status", "data-state") == "aborted"
    assert "stopped from the web UI" in page.inner_text("#run-status")
    assert page.locator(".live-step").count() < 4
