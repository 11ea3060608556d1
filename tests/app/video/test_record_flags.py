"""``--record-video`` on ``workflow run`` and ``bench``."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.app.cli.main import main
from screenpilot.tools.video.reader import probe

WORKFLOW = """name: sign in
steps:
  - type: alice
    into: {text: Username, role: textbox}
  - click: {text: Sign in, role: button}
"""


def test_workflow_run_records_a_video(tmp_path: Path) -> None:
    wf = tmp_path / "wf.yaml"
    wf.write_text(WORKFLOW)
    out = tmp_path / "runs"
    assert (
        main(["workflow", "run", str(wf), "--env", "fake", "--out", str(out), "--record-video", "--quiet"])
        == 0
    )
    (run_dir,) = out.iterdir()
    assert probe(run_dir / "video.mp4").frames >= 3
    assert "Step 1:" in (run_dir / "video.vtt").read_text()


def test_capture_needs_an_environment_that_can_film(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "run",
            "--env",
            "fake",
            "--out",
            str(tmp_path),
            "--record-video",
            "--capture-fps",
            "5",
            'click "Sign in"',
        ]
    )
    assert code == 2
    assert "cannot film its screen" in capsys.readouterr().err


def test_bench_records_one_video_per_episode(tmp_path: Path) -> None:
    argv = ["bench", "run", "fake", "--policy", "dom-match", "--workers", "0", "--episodes", "1"]
    assert (
        main([*argv, "--out", str(tmp_path), "--record-video", "--quiet", "--tasks", "sign-in", "open-help"])
        == 0
    )
    videos = sorted(tmp_path.rglob("video.mp4"))
    assert len(videos) == 2
    assert all(probe(v).frames >= 2 for v in videos)
