"""``screenpilot ground`` and the grounder, against the test server; registry and options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.app.cli.main import main
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.model.coords import CoordConvention
from screenpilot.model.qwen.registry import CHECKPOINTS, lookup
from screenpilot.tools.points import Box, CoordSpace
from tests.model.qwen_server import QwenTestServer, Reply, Request


@pytest.fixture
def screenshot(tmp_path: Path) -> tuple[Path, FakeEnvironment]:
    env = FakeEnvironment(FakeConfig(scale_factor=2.0))
    path = tmp_path / "shot.png"
    env.observe().screenshot.save(path)
    return path, env


def test_ground_prints_and_draws_the_point(
    screenshot: tuple[Path, FakeEnvironment], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, env = screenshot
    cx, cy = env.center_of("sign_in")
    rel = [round(cx / env.app.width * 1000), round(cy / env.app.height * 1000)]

    def answer(r: Request) -> str:
        assert "Description: the Sign in button" in r.texts("user")[0]
        call = {"name": "computer_use", "arguments": {"action": "left_click", "coordinate": rel}}
        return f"Thought: it is below the fields.\n<tool_call>\n{json.dumps(call)}\n</tool_call>"

    out = tmp_path / "marked.png"
    with QwenTestServer(answer) as server:
        code = main(
            ["ground", str(path), "the Sign in button", "--endpoint", server.url, "--model", "m",
             "--scale-factor", "2", "--save", str(out), "--json"]
        )  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["point"] == {"x": rel[0], "y": rel[1], "space": "rel1000"}
    px, py = printed["pixel"]
    assert abs(px - cx * 2) <= 2 and abs(py - cy * 2) <= 2  # image pixels of the 2x screenshot
    marked = Image.open(out)
    assert marked.size == (1600, 1200) and marked.getpixel((px, py - 20)) == (255, 0, 0)


def test_ground_bbox_mode(
    screenshot: tuple[Path, FakeEnvironment], capsys: pytest.CaptureFixture[str]
) -> None:
    path, env = screenshot
    w = env.widget("username").rect
    box = [
        round(v) for v in (w.x / 0.8, w.y / 0.6, (w.x + w.w) / 0.8, (w.y + w.h) / 0.6)
    ]  # rel1000 of 800x600

    def answer(r: Request) -> Reply:
        assert r.messages[0]["role"] == "user"  # bbox mode asks without the tool prompt
        return Reply(content=f'```json\n[{{"bbox_2d": {json.dumps(box)}, "label": "username"}}]\n```')

    with QwenTestServer(answer, expect_tool=None) as server:
        server.check = lambda request: []  # type: ignore[method-assign]
        code = main(["ground", str(path), "the username field", "--endpoint", server.url, "--model", "m",
                     "-P", "grounding=bbox", "--json"])  # fmt: skip
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert Box.model_validate(printed["box"]) == Box(
        x0=box[0], y0=box[1], x1=box[2], y1=box[3], space=CoordSpace.REL1000
    )
    assert printed["box_pixels"] == [
        round(v * 1.6) if i % 2 == 0 else round(v * 1.2) for i, v in enumerate(box)
    ]


def test_ground_reports_unusable_answers(
    screenshot: tuple[Path, FakeEnvironment], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = screenshot
    with QwenTestServer(lambda r: "It is somewhere near the top.") as server:
        code = main(["ground", str(path), "x", "--endpoint", server.url, "--model", "m"])
    assert code == 1
    assert "no usable location" in capsys.readouterr().out


def test_api_key_is_read_at_the_cli_edge(
    screenshot: tuple[Path, FakeEnvironment], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = screenshot
    seen: list[str] = []

    call = {"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [1, 1]}}
    click = f"<tool_call>{json.dumps(call)}</tool_call>"
    with QwenTestServer(lambda r: click) as server:
        import http.server

        original = http.server.BaseHTTPRequestHandler.parse_request

        def spy(self: http.server.BaseHTTPRequestHandler) -> bool:
            ok = original(self)
            if self.command == "POST":  # the model call (the CLI's GET /models probe carries it too)
                seen.append(self.headers.get("authorization", ""))
            return ok

        monkeypatch.setattr(http.server.BaseHTTPRequestHandler, "parse_request", spy)
        monkeypatch.setenv("MY_QWEN_KEY", "sk-test-123")
        assert (
            main(
                [
                    "ground",
                    str(path),
                    "x",
                    "--endpoint",
                    server.url,
                    "--model",
                    "m",
                    "--api-key-env",
                    "MY_QWEN_KEY",
                ]
            )
            == 0
        )
        assert (
            main(
                [
                    "ground",
                    str(path),
                    "x",
                    "--endpoint",
                    server.url,
                    "--model",
                    "m",
                    "--api-key-env",
                    "UNSET_VAR_X",
                ]
            )
            == 2
        )
    assert seen == ["Bearer sk-test-123"]


def test_checkpoint_registry() -> None:
    ids = {c.id for c in CHECKPOINTS}
    for size in ("2B", "4B", "8B", "32B", "30B-A3B", "235B-A22B"):
        for variant in ("Instruct", "Thinking"):
            assert f"Qwen/Qwen3-VL-{size}-{variant}" in ids
            assert f"Qwen/Qwen3-VL-{size}-{variant}-FP8" in ids
    assert lookup("Qwen/Qwen3-VL-8B-Thinking").thinking
    assert lookup("qwen3-vl-8b-instruct").factor == 32
    assert lookup("/models/Qwen3-VL-32B-Instruct-AWQ").coords is CoordConvention.REL1000
    q25 = lookup("Qwen/Qwen2.5-VL-72B-Instruct")
    assert (q25.family, q25.factor, q25.coords) == ("qwen2.5-vl", 28, CoordConvention.IMAGE)
    assert lookup("my-served-qwen2.5-vl").coords is CoordConvention.IMAGE
    unknown = lookup("whatever-i-served")
    assert (unknown.family, unknown.coords, unknown.id) == (
        "qwen3-vl",
        CoordConvention.REL1000,
        "whatever-i-served",
    )


def test_run_command_with_the_qwen3vl_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call = {"name": "computer_use", "arguments": {"action": "answer", "text": "nothing to do"}}
    done = f"<tool_call>\n{json.dumps(call)}\n</tool_call>"
    with QwenTestServer(lambda r: done) as server:
        code = main(
            ["run", "Say hi", "--env", "fake", "--policy", "qwen3vl", "--endpoint", server.url,
             "--model", "Qwen/Qwen3-VL-2B-Instruct", "--out", str(tmp_path), "--quiet"]
        )  # fmt: skip
    assert code == 0
    assert "nothing to do" in capsys.readouterr().out
    (run_dir,) = tmp_path.iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert (manifest["model"], manifest["prompt_version"]) == (
        "Qwen/Qwen3-VL-2B-Instruct",
        "qwen3vl-cookbook/1",
    )
