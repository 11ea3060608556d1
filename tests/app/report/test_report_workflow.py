"""A workflow run on a HiDPI screen, reported: geometry, marks on the clicked targets, stage times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from screenpilot.agent.result import StepEvent
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import Trajectory, load_run
from screenpilot.app.report.episode import write_episode_report
from screenpilot.app.report.steps import step_view
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.workflows import WorkflowResult, WorkflowRunner, load_workflow
from tests.app.report.helpers import centroid_near, color_pixels
from tests.workflows.wf_helpers import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCALE = 2.0  # image pixels per logical pixel
IMAGE_WIDTH = 1600  # the fake app is 800 logical pixels wide


@pytest.fixture(scope="module")
def env() -> FakeEnvironment:
    return FakeEnvironment(FakeConfig(scale_factor=SCALE))


@pytest.fixture(scope="module")
def workflow_run(env: FakeEnvironment, tmp_path_factory: pytest.TempPathFactory) -> WorkflowResult:
    runner = WorkflowRunner(
        env, secrets=SecretStore({"password": "wonderland"}), out_dir=tmp_path_factory.mktemp("wf-runs")
    )
    result = runner.run(load_workflow(EXAMPLES / "login.yaml"))
    assert result.success, result.run.reason
    assert env.state.screen == "dashboard"
    return result


@pytest.fixture(scope="module")
def trajectory(workflow_run: WorkflowResult) -> Trajectory:
    assert workflow_run.run.run_dir is not None
    return load_run(workflow_run.run.run_dir)


@pytest.fixture(scope="module")
def report_file(trajectory: Trajectory) -> Path:
    return write_episode_report(trajectory.run_dir)


@pytest.fixture(scope="module")
def page(browser: Browser, report_file: Path) -> Page:
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    p.goto(report_file.as_uri())
    return p


def clicks(trajectory: Trajectory) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(step number, click action, element under it)`` for every click of the run."""
    out = []
    for event in trajectory.steps:
        for outcome, target in zip(event["outcomes"], event["targets"], strict=True):
            if outcome["action"]["action"] == "click":
                out.append((event["index"] + 1, outcome["action"], target))
    return out


def test_every_workflow_step_records_the_screen_geometry(trajectory: Trajectory) -> None:
    assert [e["workflow"]["kind"] for e in trajectory.steps] == ["type", "type", "click", "wait_for"]
    for event in trajectory.steps:
        StepEvent.model_validate(event)
        assert event["geometry"]["scale_factor"] == SCALE
        assert event["geometry"]["image_size"] == {"width": 1600, "height": 1200}
        assert event["geometry"]["logical_size"] == {"width": 800, "height": 600}
        assert not step_view(event).approximate


def test_the_report_draws_exact_marks(report_file: Path) -> None:
    assert "approximate marks" not in report_file.read_text(encoding="utf-8")


def test_clicks_record_the_element_they_pointed_at(trajectory: Trajectory) -> None:
    truth = FakeEnvironment(FakeConfig(scale_factor=SCALE))
    truth.reset()  # the sign-in form, as the clicks saw it
    assert [(n, t["id"]) for n, _, t in clicks(trajectory)] == [
        (1, "username"),
        (2, "password"),
        (3, "sign_in"),
    ]
    for _, action, target in clicks(trajectory):
        x, y = action["at"]["x"], action["at"]["y"]
        box = target["box"]
        assert box["x0"] <= x <= box["x1"] and box["y0"] <= y <= box["y1"]
        wx, wy = truth.center_of(target["id"])  # in logical pixels
        assert abs(x - wx) < 1 and abs(y - wy) < 1


def test_each_click_mark_is_drawn_on_the_clicked_target(
    page: Page, trajectory: Trajectory, tmp_path: Path
) -> None:
    for step, action, target in clicks(trajectory):
        img = page.locator(f"#step-{step} .frame img")
        img.scroll_into_view_if_needed()
        img.screenshot(path=str(tmp_path / f"step{step}.png"))
        shot = Image.open(tmp_path / f"step{step}.png")
        k = shot.width / IMAGE_WIDTH  # displayed pixels per image pixel
        ex, ey = action["at"]["x"] * SCALE * k, action["at"]["y"] * SCALE * k
        (cx, cy), n = centroid_near(color_pixels(shot, "red"), (ex, ey), radius=16 * k)
        assert n > 15, f"step {step}: no mark near ({ex:.0f}, {ey:.0f})"
        assert abs(cx - ex) < 3 and abs(cy - ey) < 3, (step, cx, cy, ex, ey)
        box = target["box"]
        assert box["x0"] * SCALE * k <= cx <= box["x1"] * SCALE * k, step
        assert box["y0"] * SCALE * k <= cy <= box["y1"] * SCALE * k, step


def test_workflow_steps_report_their_stage_times(trajectory: Trajectory, page: Page) -> None:
    steps = trajectory.steps
    for event in steps:
        assert event["times"]["locate_s"] > 0, event["workflow"]
        assert step_view(event).seconds > 0
    for event in steps[:3]:  # the action steps
        assert event["times"]["act_s"] > 0, event["workflow"]
    assert trajectory.result is not None
    totals = trajectory.result["times"]
    for stage in ("locate_s", "act_s", "settle_s"):
        assert totals[stage] == pytest.approx(sum(e["times"][stage] for e in steps))
    assert sum(totals.values()) <= trajectory.result["elapsed_s"]
    assert "locate" in page.locator("#step-1 .times").inner_text()
    assert "locate" in page.locator("table.meta").inner_text()
