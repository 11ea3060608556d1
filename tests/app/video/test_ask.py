"""``ask``: frames sampled to Qwen3-VL's budget, sent as a video, times mapped to steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main
from screenpilot.app.video.ask import ask_video
from screenpilot.app.video.render import render_run
from screenpilot.model.backends.openai_http import OpenAIBackendConfig
from screenpilot.model.backends.video_http import VideoChatBackend
from screenpilot.model.qwen.video_input import VideoBudget, parse_times, plan_sampling
from screenpilot.tools.errors import ConfigError, ModelError
from tests.app.video.helpers import write_run
from tests.app.video.video_server import VideoServer

STARTS = [0.5, 1.0, 3.0, 3.2, 6.0]
END = 8.0


def _backend(server: VideoServer) -> VideoChatBackend:
    return VideoChatBackend(OpenAIBackendConfig(base_url=server.url, model="qwen3-vl-test", retries=0))


@pytest.mark.slow
def test_run_is_sent_at_two_frames_a_second_and_times_map_to_steps(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", STARTS, end=END)
    with VideoServer(steps=len(STARTS)) as server:
        got = ask_video(run, "when does step 3 appear?", _backend(server))
    (req,) = server.requests
    assert req["fps"] == 2.0 and got.frames == 16
    assert req["times"][:3] == [0.0, 0.5, 1.0]
    # what the server saw at each half second is the step on screen then
    assert req["shown"] == [0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4]
    assert req["body"]["mm_processor_kwargs"]["do_sample_frames"] is False
    assert got.answer.startswith("Step 3 appears at <3.0 seconds>")
    assert [(r.t, r.step) for r in got.times] == [(3.0, 2)]
    assert got.size == req["size"]


@pytest.mark.slow
def test_long_runs_are_sampled_sparser_and_smaller(tmp_path: Path) -> None:
    starts = [4.0 * i for i in range(50)]
    run = write_run(tmp_path / "run", starts, end=200.0, size=(1280, 800))
    budget = VideoBudget(max_frames=8, total_tokens=1024)
    with VideoServer(steps=len(starts)) as server:
        got = ask_video(run, "when does step 26 appear?", _backend(server), budget)
    (req,) = server.requests
    assert got.frames == 8 and req["fps"] == pytest.approx(8 / 200.0)
    w, h = req["size"]
    assert w * h // 1024 <= 256  # 1024 tokens over 8 frames, two frames per temporal patch
    # frame 4 sits at 100 s, where step 26 (index 25) starts
    assert [(r.t, r.step) for r in got.times] == [(100.0, 25)]


@pytest.mark.slow
def test_rendered_video_is_sampled_with_its_timeline(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", STARTS, end=END)
    video = render_run(run).video
    with VideoServer(steps=len(STARTS)) as server:
        got = ask_video(video, "when does step 5 appear?", _backend(server))
    assert [(r.t, r.step) for r in got.times] == [(6.0, 4)]


@pytest.mark.slow
def test_cli_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "run", STARTS, end=END)
    with VideoServer(steps=len(STARTS)) as server:
        code = main(
            ["ask", str(run), "when does step 2 appear?", "--endpoint", server.url, "--model", "m", "--json"]
        )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["times"] == [{"t": 1.0, "step": 1}]
    assert out["frames"] == 16 and out["usage"]["input_tokens"] == 100


@pytest.mark.slow
def test_frames_below_qwens_token_floor_are_refused(tmp_path: Path) -> None:
    run = write_run(tmp_path / "run", STARTS, end=END)
    tiny = VideoBudget(min_tokens=4, max_tokens=32)  # Qwen's processor wants 128 or more
    with VideoServer(steps=len(STARTS)) as server, pytest.raises(ModelError, match="400"):
        ask_video(run, "when does step 2 appear?", _backend(server), tiny)
    assert server.requests == []


def test_plan_follows_qwen_budgets() -> None:
    plan = plan_sampling(1.0, 1920, 1080)
    assert plan.frames == 4 and plan.fps == 4.0  # at least 4 frames: sampled faster
    plan = plan_sampling(10.0, 1920, 1080)
    assert plan.frames == 20 and plan.fps == 2.0
    assert plan.size.width % 32 == 0 and plan.size.width * plan.size.height <= 768 * 32 * 32
    plan = plan_sampling(1000.0, 1280, 800, VideoBudget(max_frames=64))
    assert plan.frames == 64 and plan.times[-1] < 1000.0
    with pytest.raises(ConfigError):
        plan_sampling(0.0, 100, 100)


def test_times_are_read_in_every_usual_form() -> None:
    text = "It opens at <12.5 seconds>, closes at 14 s, again at 1:05 and 3 sec later; step 4."
    assert parse_times(text) == [12.5, 14.0, 65.0, 3.0]
