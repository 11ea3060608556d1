"""The video plays in Chromium from the report and from the web UI, subtitles included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from screenpilot.app.report.episode import write_episode_report
from screenpilot.app.ui.app import UISettings, create_app
from screenpilot.app.ui.server import BackgroundServer
from screenpilot.app.video.render import render_run
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.environments.browser.driver import playwright_driver
from tests.app.video.helpers import write_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STARTS = [0.5, 1.0, 2.0, 2.5]
END = 3.5

# Plays the video to its end, counting the frames Chromium presented, and reads the track.
PLAY = """async () => {
  const v = document.querySelector("video");
  if (v.readyState < 1) await new Promise((ok, bad) => {
    v.addEventListener("loadedmetadata", ok, {once: true});
    v.addEventListener("error", () => bad(new Error("video error " + v.error.code)), {once: true});
  });
  const track = v.textTracks[0];
  track.mode = "showing";
  const el = document.querySelector("track");
  if (el.readyState !== 2) await new Promise((ok) => el.addEventListener("load", ok, {once: true}));
  let presented = 0;
  const count = () => { presented += 1; v.requestVideoFrameCallback(count); };
  v.requestVideoFrameCallback(count);
  v.muted = true;
  v.playbackRate = 4;
  await v.play();
  await new Promise((ok) => v.addEventListener("ended", ok, {once: true}));
  return {duration: v.duration, width: v.videoWidth, presented,
          decoded: v.getVideoPlaybackQuality().totalVideoFrames,
          cues: track.cues.length, first: track.cues[0].text, start: track.cues[0].startTime};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_driver() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    run = write_run(root / "run-1", STARTS, end=END)
    render_run(run)
    return root


def _check_playback(page: Page) -> None:
    got = page.evaluate(PLAY)
    assert got["duration"] == pytest.approx(END, abs=0.15)
    assert got["width"] == 640
    assert got["decoded"] >= 2 and got["presented"] >= 2
    assert got["cues"] == len(STARTS)
    assert got["first"].startswith("Step 1: thinking about step 1")
    assert got["start"] == pytest.approx(0.5)


def test_report_page_plays_the_video_with_its_subtitles(browser: Browser, runs_dir: Path) -> None:
    report = write_episode_report(runs_dir / "run-1")
    page = browser.new_page()
    try:
        page.goto(report.as_uri())
        assert page.locator("section.video video").count() == 1
        _check_playback(page)
    finally:
        page.close()


def test_report_written_elsewhere_links_the_video_relatively(browser: Browser, runs_dir: Path) -> None:
    report = write_episode_report(runs_dir / "run-1", runs_dir / "elsewhere.html")
    assert 'src="run-1/video.mp4"' in report.read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(report.as_uri())
        _check_playback(page)
    finally:
        page.close()


def test_web_ui_serves_the_video_and_lists_it(browser: Browser, runs_dir: Path) -> None:
    with BackgroundServer(create_app(UISettings(runs_dir=runs_dir))) as srv:
        page = browser.new_page()
        try:
            runs = page.request.get(f"{srv.url}/api/runs").json()
            assert runs[0]["video"] == "/media/run-1/video.mp4"
            part = page.request.get(f"{srv.url}/media/run-1/video.mp4", headers={"Range": "bytes=0-99"})
            assert part.status == 206 and len(part.body()) == 100
            assert page.request.get(f"{srv.url}/media/run-1/events.jsonl").status == 400
            page.goto(f"{srv.url}/report/run-1")
            _check_playback(page)
        finally:
            page.close()
