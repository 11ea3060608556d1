"""The episode report, opened in real headless Chromium: marks, raw output, navigation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from screenpilot.agent.result import RunResult
from screenpilot.app.cli.main import main
from screenpilot.app.report.sample_runs import demo_env
from tests.app.report.helpers import centroid_near, color_pixels

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCALE = 1.5  # image pixels per logical pixel in the demo run


def expected_image_xy(widget: str) -> tuple[float, float]:
    """Ground truth from the fake app, independent of the report's geometry code."""
    x, y = demo_env(SCALE).center_of(widget)
    return x * SCALE, y * SCALE


@pytest.fixture(scope="module")
def report_file(demo_run: RunResult) -> Path:
    assert demo_run.run_dir is not None
    out = demo_run.run_dir / "report.html"
    assert main(["report", str(demo_run.run_dir), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(browser: Browser, report_file: Path) -> Page:
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    p.goto(report_file.as_uri())
    return p


def shot_of_step(page: Page, step: int, out: Path) -> tuple[Image.Image, float]:
    """Screenshot of a step's image (with its overlay) and the displayed-per-image-pixel scale."""
    img = page.locator(f"#step-{step} .frame img")
    img.scroll_into_view_if_needed()
    img.screenshot(path=str(out))
    shot = Image.open(out)
    return shot, shot.width / 1200  # the demo screenshots are 1200 px wide


def test_step_events_record_the_observation_geometry(demo_run: RunResult) -> None:
    assert demo_run.run_dir is not None
    lines = (demo_run.run_dir / "events.jsonl").read_text().splitlines()
    steps = [json.loads(line) for line in lines if json.loads(line)["type"] == "step"]
    assert len(steps) == 9
    geometry = steps[0]["geometry"]
    assert geometry["image_size"] == {"width": 1200, "height": 900}
    assert geometry["logical_size"] == {"width": 800, "height": 600}
    assert geometry["scale_factor"] == 1.5


def test_report_is_self_contained_and_small(report_file: Path) -> None:
    html = report_file.read_text()
    assert "data:image/jpeg;base64," in html
    assert 'src="http' not in html and "shots/" not in html
    assert report_file.stat().st_size < 1_500_000


def test_summary_shows_status_steps_time_tokens(page: Page) -> None:
    cards = page.locator(".cards").inner_text()
    assert "success" in cards
    assert "9" in page.locator(".card", has_text="Steps").inner_text()
    # eight decisions of 1,200 input tokens each (the invalid output counts none)
    assert "9,600 in" in page.locator(".card", has_text="Tokens").inner_text()
    assert page.locator("h1").inner_text() == "Sign in as alice with password wonderland"


def test_click_marker_is_drawn_where_the_action_clicked(page: Page, tmp_path: Path) -> None:
    shot, k = shot_of_step(page, 1, tmp_path / "step1.png")
    ex, ey = expected_image_xy("username")
    red = color_pixels(shot, "red")
    (cx, cy), n = centroid_near(red, (ex * k, ey * k), radius=16 * k)
    assert n > 40, f"no marker near ({ex * k:.0f}, {ey * k:.0f})"
    assert abs(cx - ex * k) < 3 and abs(cy - ey * k) < 3
    # and nothing red where the password field is
    px, py = expected_image_xy("password")
    assert centroid_near(red, (px * k, py * k), radius=16 * k)[1] == 0


def test_screen_space_click_lands_on_the_password_field(page: Page, tmp_path: Path) -> None:
    # step 3 clicked in screen (logical) pixels: the geometry must scale it by 1.5
    shot, k = shot_of_step(page, 3, tmp_path / "step3.png")
    ex, ey = expected_image_xy("password")
    (cx, cy), n = centroid_near(color_pixels(shot, "red"), (ex * k, ey * k), radius=16 * k)
    assert n > 40
    assert abs(cx - ex * k) < 3 and abs(cy - ey * k) < 3


def test_steps_without_a_location_have_no_marker(page: Page, tmp_path: Path) -> None:
    shot, _ = shot_of_step(page, 2, tmp_path / "step2.png")  # type(text='alice')
    assert color_pixels(shot, "red") == []


def test_drag_path_is_drawn_from_start_to_end(page: Page, tmp_path: Path) -> None:
    shot, k = shot_of_step(page, 6, tmp_path / "step6.png")
    red = color_pixels(shot, "red")
    for widget in ("username_label", "remember"):
        ex, ey = expected_image_xy(widget)
        assert centroid_near(red, (ex * k, ey * k), radius=14 * k)[1] > 15, widget
    # the dashed line between them: red pixels half-way
    (sx, sy), (tx, ty) = expected_image_xy("username_label"), expected_image_xy("remember")
    assert centroid_near(red, ((sx + tx) / 2 * k, (sy + ty) / 2 * k), radius=10 * k)[1] > 0


def test_failed_action_is_drawn_in_the_failure_color(page: Page, tmp_path: Path) -> None:
    step = page.locator("#step-7")
    assert "fail" in (step.get_attribute("class") or "")
    assert "DriverError" in step.inner_text()
    shot, k = shot_of_step(page, 7, tmp_path / "step7.png")
    ex, ey = expected_image_xy("sign_in")
    assert centroid_near(color_pixels(shot, "magenta"), (ex * k, ey * k), radius=16 * k)[1] > 40
    assert color_pixels(shot, "red") == []


def test_raw_output_expands(page: Page, tmp_path: Path) -> None:
    details = page.locator("#step-5 details.raw")
    pre = details.locator("pre")
    assert not pre.is_visible()
    details.locator("summary").click()
    assert pre.is_visible()
    assert pre.inner_text() == "I think I should sign in now, maybe?"
    assert "ModelOutputError" in page.locator("#step-5 .error").inner_text()
    page.locator("#step-5").screenshot(path=str(tmp_path / "raw.png"))
    # the expanded <pre> is drawn dark (#111827) inside the step card
    pixels = np.asarray(Image.open(tmp_path / "raw.png").convert("RGB"))
    assert int((pixels == (17, 24, 39)).all(axis=-1).sum()) > 1000


def test_prev_next_chips_and_keys_navigate_steps(page: Page) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".chip", has_text="1").first.click()
    page.click("#next")
    assert page.inner_text("#position") == "Step 2 / 9"
    assert "current" in (page.locator("#step-2").get_attribute("class") or "")
    page.locator(".chip").nth(7).click()
    assert page.inner_text("#position") == "Step 8 / 9"
    assert page.url.endswith("#step-8")
    top = page.locator("#step-8").bounding_box()
    assert top is not None and 0 <= top["y"] < 200  # scrolled into view under the sticky bar
    page.keyboard.press("k")
    assert page.inner_text("#position") == "Step 7 / 9"
    page.click("#prev")
    page.click("#prev")
    assert "current" in (page.locator("#step-5").get_attribute("class") or "")
    assert page.locator(".chip.fail").count() == 2  # the invalid output and the driver error


def test_other_events_list_the_invalid_output(page: Page) -> None:
    events = page.locator("section.events").inner_text()
    assert "invalid_output" in events
