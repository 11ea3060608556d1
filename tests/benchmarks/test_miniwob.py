"""MiniWoB++ episodes through the real browser environment, judged by the page's reward."""

import json
import re
import time
from collections.abc import Sequence

import pytest

from screenpilot.benchmarks.evaluator import EpisodeContext, EpisodeSetup
from screenpilot.benchmarks.executor import InlineExecutor
from screenpilot.benchmarks.miniwob.page import MiniWoBPage, render_utterance
from screenpilot.benchmarks.miniwob.server import StaticServer
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.miniwob.tasks import html_dir, list_tasks
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, EpisodeSpec, RunSpec
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Action, Click, Terminate

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TASKS = MiniWoBBenchmark(MiniWoBOptions()).tasks()


def make_env() -> BrowserEnvironment:
    return BrowserEnvironment(BrowserConfig(viewport_width=160, viewport_height=210, headless=True))


def quoted(task: str) -> str:
    return re.findall(r'"([^"]+)"', task)[0]


def buttons(obs: Observation) -> list[UIElement]:
    return [
        e
        for e in obs.elements
        if e.label.strip() and e.box.width > 0 and (e.role == "button" or e.tag == "button")
    ]


def click_target(
    task: str, obs: Observation, history: Sequence[HistoryStep], fb: Sequence[Feedback]
) -> Action:
    """Reads the target from the instruction and finds it among the environment's elements."""
    if history:
        return Terminate(status="success")
    hits = [e for e in buttons(obs) if e.label.strip() == quoted(task)]
    return Click(at=hits[0].box.center) if hits else Terminate(status="failure", reason="target not found")


def click_other(
    task: str, obs: Observation, history: Sequence[HistoryStep], fb: Sequence[Feedback]
) -> Action:
    """Clicks a button that is not the one asked for."""
    if history:
        return Terminate(status="success")
    others = [e for e in buttons(obs) if e.label.strip() != quoted(task)]
    return Click(at=others[0].box.center) if others else Terminate(status="failure", reason="no other button")


def spec(**bench: object) -> RunSpec:
    return RunSpec(
        benchmark=ComponentSpec(name="miniwob", options=bench),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="scripted-in-test"),
        episode_time_limit_s=30,
    )


def run(tmp_path, fn, task: str, episodes: int, **bench: object):
    executor = InlineExecutor(make_policy=lambda: FunctionPolicy(fn), make_env=make_env)
    eps = plan_episodes(select_tasks(TASKS, [task]), episodes)
    return BenchmarkRunner(spec(**bench), tmp_path, executor).run(eps)


def test_all_package_tasks_are_listed():
    names = {t.name for t in list_tasks()}
    assert len(names) == len(list(html_dir().glob("miniwob/*.html"))) + 4
    assert {"click-button", "email-inbox-nl-turk", "flight.AA"} <= names
    assert all(t.max_time_ms >= 5000 for t in list_tasks())


def test_easy_task_solved_from_the_elements_reads_back_success(tmp_path):
    report = run(tmp_path, click_target, "click-button", 2)
    assert [o.kind for o in report.outcomes] == ["success", "success"]
    for o in report.outcomes:
        assert o.reward == 1.0 and o.steps == 1
        assert o.instruction.startswith("Click on the")
        assert o.info["time_limit_mode"] == "task" and o.info["time_limit"] == "10s"
        assert (tmp_path / o.run_dir / "result.json").is_file()
        events = (tmp_path / o.run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
        clicks = [
            out
            for e in map(json.loads, events)
            if e.get("type") == "step"
            for out in e["outcomes"]
            if out["action"]["action"] == "click"
        ]
        # a benchmark's agent hears what each action hit and changed, as a user's run does
        assert clicks and clicks[0]["effect"]["hit"]["element"].startswith("button")
    assert report.summary.overall.success_rate == 1.0


def test_wrong_action_reads_back_failure(tmp_path):
    report = run(tmp_path, click_other, "click-button", 3, no_time_limit=True)
    assert all(o.kind == "failure" for o in report.outcomes)
    clicked_wrong = [o for o in report.outcomes if o.reward == -1.0]
    assert clicked_wrong, "some seed should offer a wrong button to click"
    for o in report.outcomes:
        assert o.info["time_limit_mode"] == "lifted" and int(o.info["page_time_limit_ms"]) > 30_000


def test_seeded_starts_repeat_and_the_page_timer_ends_episodes():
    env = make_env()
    try:
        with StaticServer(html_dir()) as server:
            page = MiniWoBPage(env)
            seen = []
            for seed in (7, 7, 8):
                page.load(server.base_url + "miniwob/click-link.html")
                page.start(seed)
                seen.append(page.instruction())
            assert seen[0] == seen[1]
            page.load(server.base_url + "miniwob/click-button.html")
            assert page.start(1, max_time_ms=300) == 300
            time.sleep(0.6)
            status = page.status()
            assert status.done and status.raw_reward == -1 and not status.success
    finally:
        env.close()


def test_object_utterances_render_as_text():
    assert render_utterance("Click on 5") == "Click on 5"
    assert render_utterance({"utterance": "Forward Ann's email to Bo", "fields": {"by": "Ann"}}) == (
        "Forward Ann's email to Bo"
    )
    assert render_utterance({"fields": {"by": "Ann", "to": "Bo"}}) == "by: Ann; to: Bo"


def test_browser_launch_failure_is_retried_as_infrastructure(tmp_path):
    def broken() -> BrowserEnvironment:  # an executable that exits at once: the launch fails
        return BrowserEnvironment(BrowserConfig(executable_path="/bin/false", headless=True))

    executor = InlineExecutor(make_policy=lambda: FunctionPolicy(click_target), make_env=broken)
    eps = plan_episodes(select_tasks(TASKS, ["click-button"]), 1)
    report = BenchmarkRunner(spec().model_copy(update={"max_infra_retries": 1}), tmp_path, executor).run(eps)
    records = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    tries = [r for r in records if r["type"] == "attempt"]
    assert [(r["kind"], r["error_type"], r["final"]) for r in tries] == [
        ("infra_error", "EnvCrashed", False),
        ("infra_error", "EnvCrashed", True),
    ]
    assert report.summary.overall.infra_errors == 1 and report.summary.overall.successes == 0


Started = tuple[BrowserEnvironment, tuple[MiniWoBBenchmark, EpisodeSetup]]


def _start_episode(tmp_path, task: str, seed: int = 0) -> Started:
    env = make_env()
    bench = MiniWoBBenchmark(MiniWoBOptions())
    evaluator = bench.evaluator()
    spec_ = next(t for t in bench.tasks() if t.task_id == task)
    ctx = EpisodeContext(episode=EpisodeSpec(task=spec_, index=0, seed=seed), time_limit_s=30)
    setup = evaluator.start(env, ctx)
    return env, (bench, setup)


def test_the_instruction_display_is_not_part_of_the_app(tmp_path):
    env, (bench, setup) = _start_episode(tmp_path, "click-link")
    try:
        obs = env.observe()
        outside = [e for e in obs.elements if e.attributes.get("sp-kind") == "outside"]
        assert any(e.box.y0 <= 1 and e.box.width >= 150 and e.box.height >= 40 for e in outside)
        # no element offers the instruction's words as something to click or read
        assert not [e for e in obs.elements if setup.instruction in e.label]
        # the page's words (span links) are listed as clickable items
        words = [e for e in obs.elements if e.attributes.get("sp-kind") == "clickable" and e.tag == "span"]
        assert len(words) >= 3
    finally:
        env.close()
        bench.close()


def test_a_task_opens_scrolled_to_its_task_area(tmp_path):
    # click-dialog's dialog used to scroll the page sideways to the reward panel
    env, (bench, _) = _start_episode(tmp_path, "click-dialog")
    try:
        assert env.evaluate("[window.scrollX, window.scrollY]") == [0, 0]
        obs = env.observe()
        close = [e for e in obs.elements if e.role == "button" and e.visible]
        assert close and all(0 <= e.box.center.x <= 160 for e in close)
    finally:
        env.close()
        bench.close()


def test_the_viewport_is_fitted_to_the_task_area(tmp_path):
    env, (bench, _) = _start_episode(tmp_path, "flight.AA")
    try:
        assert env.observe().geometry.logical_size.width == 375
        assert env.page.viewport_size == {"width": 375, "height": 667}
    finally:
        env.close()
        bench.close()
