"""``screenpilot run TASK --env browser --url URL --policy script -P file=...`` end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environments.browser.server import PageServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]


def test_run_command_drives_the_browser(server: PageServer, tmp_path: Path) -> None:
    script = tmp_path / "script.jsonl"
    steps = [
        {"action": "click", "at": {"x": 200, "y": 150, "space": "screen"}},
        {"action": "click", "at": {"x": 195, "y": 187.5, "space": "rel1000"}},
        {"action": "terminate", "status": "success"},
    ]
    script.write_text("\n".join(json.dumps(s) for s in steps), encoding="utf-8")
    out = tmp_path / "runs"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "screenpilot.app.cli.main",
            "run",
            "press Go",
            "--env",
            "browser",
            "--url",
            server.url("cli.html"),
            "--allow-domain",
            "127.0.0.1",
            "-E",
            "executable_path=/usr/bin/chromium",
            "-E",
            "viewport=1024x768",
            "--policy",
            "script",
            "-P",
            f"file={script}",
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (run_dir,) = out.iterdir()
    result = json.loads((run_dir / "result.json").read_text())
    assert result["status"] == "success"
    steps_seen = [
        json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines() if '"step"' in line
    ]
    titles = [e.get("title") for e in steps_seen]
    assert titles[0] == "Start" and titles[-1] == "Clicked", titles
    assert steps_seen[0]["url"] == server.url("cli.html")


def test_bad_option_is_a_config_error(tmp_path: Path) -> None:
    script = tmp_path / "script.jsonl"
    script.write_text('{"action": "terminate"}', encoding="utf-8")
    args = [
        "run",
        "x",
        "--env",
        "browser",
        "-E",
        "viewport=huge",
        "--policy",
        "script",
        "-P",
        f"file={script}",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "screenpilot.app.cli.main", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "viewport must look like 1280x800" in proc.stdout + proc.stderr
