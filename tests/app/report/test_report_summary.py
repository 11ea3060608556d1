"""The benchmark summary page: per-task tables, inline SVG charts, links to episodes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from screenpilot.agent.loop import Agent
from screenpilot.app.cli.main import main
from screenpilot.app.report.sample_runs import record_demo_run
from screenpilot.app.ui.browse import list_runs, report_html
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Terminate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GREEN = (21, 128, 61)  # the success chart's bars


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("results") / "bench"
    runs = root / "runs"
    record_demo_run(runs, run_id="login-1")
    record_demo_run(runs, run_id="login-2")
    env = FakeEnvironment()
    agent = Agent(env, ScriptedPolicy([Terminate(status="failure")]), out_dir=runs)
    agent.manifest_extra = {"task_name": "settings"}
    agent.run("Turn on email notifications", run_id="settings-1")
    # the evaluator's verdict overrides what the agent claimed for login-2
    rows = [{"run_id": "login-2", "task_name": "login", "success": False}]
    (root / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (root / "summary.json").write_text(json.dumps({"benchmark": "demo-bench", "seed": 7}))
    return root


@pytest.fixture(scope="module")
def page(browser: Browser, bench: Path) -> Page:
    assert main(["report", str(bench), "--quiet"]) == 0
    p = browser.new_page(viewport={"width": 1280, "height": 1000})
    p.goto((bench / "report.html").as_uri())
    return p


def test_every_episode_gets_a_report(page: Page, bench: Path) -> None:
    for run in ("login-1", "login-2", "settings-1"):
        assert (bench / "runs" / run / "report.html").is_file()


def test_per_task_table(page: Page) -> None:
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 2
    login, settings = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert login.startswith("login") and "1/2 (50%)" in login
    assert settings.startswith("settings") and "0/1 (0%)" in settings
    assert "1/3" in page.locator(".card", has_text="Success").inner_text()
    assert "demo-bench" in page.locator("table.meta").inner_text()


def test_success_chart_bars_have_proportional_lengths(page: Page, tmp_path: Path) -> None:
    chart = page.locator(".chart").first
    assert "Success rate per task" in chart.inner_text()
    chart.locator("svg").screenshot(path=str(tmp_path / "chart.png"))
    a = np.asarray(Image.open(tmp_path / "chart.png").convert("RGB")).astype(int)
    green = (np.abs(a - GREEN).sum(axis=-1) < 30).sum(axis=1)  # green pixels per image row
    rows = green[green > 0]
    # only the login bar is drawn; 50 % of the 260 px scale
    assert rows.size > 0 and abs(int(np.median(rows)) - 130) <= 2
    svg_height = a.shape[0]
    assert np.nonzero(green)[0].max() < svg_height / 2  # the settings row (below) has no bar


def test_episode_links_open_reports_and_come_back(page: Page, bench: Path) -> None:
    page.locator("table.episodes a", has_text="settings-1").click()
    page.wait_for_url("**/settings-1/report.html")
    assert page.inner_text("h1") == "Turn on email notifications"
    assert "failure" in page.locator(".card", has_text="Status").inner_text()
    page.click("a.back")
    page.wait_for_url("**/bench/report.html")
    assert page.locator("table.episodes tbody tr").count() == 3


def test_ui_lists_and_serves_the_benchmark(bench: Path) -> None:
    entries = list_runs(bench.parent)
    assert [(e.path, e.kind, e.episodes) for e in entries] == [("bench", "benchmark", 3)]
    html = report_html(bench.parent, "bench")
    assert 'href="/report/bench/runs/login-1"' in html
    episode = report_html(bench.parent, "bench/runs/login-1")
    assert 'class="back" href="/report/bench"' in episode


def test_cli_reports_progress_as_plain_lines_in_logs(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = bench / "again.html"
    assert main(["report", str(bench), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    lines = captured.err.splitlines()
    assert lines and lines[-1].startswith("report 3/3 100%") and "\r" not in captured.err
    assert 'href="runs/login-1/report.html"' in out.read_text()
