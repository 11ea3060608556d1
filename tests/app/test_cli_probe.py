"""The model server is asked whether it is there before the first step, and a benchmark stops
as a whole when the server goes away instead of retrying every episode against it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.app.servers import model_server

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCREENPILOT_", "OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-m", "screenpilot", *args],
        cwd=ROOT,
        env=clean,
        text=True,
        capture_output=True,
        timeout=180,
        check=False,
    )


def test_a_refused_key_is_a_usage_error():
    with model_server(401) as (url, _):
        proc = cli("run", "x", "--env", "fake", "--endpoint", url, "--model", "m", "--out", "/tmp/none")
    assert proc.returncode == 2
    assert f"the model server at {url} refused the API key (HTTP 401)" in proc.stderr


def test_bench_stops_the_whole_run_when_the_server_goes_away(tmp_path):
    out = tmp_path / "bench"
    with model_server(200, answers=1) as (url, served):
        t0 = time.monotonic()
        proc = cli(
            "bench",
            "run",
            "fake",
            "--endpoint",
            url,
            "--model",
            "m",
            "--episodes",
            "5",
            "--workers",
            "0",
            "--quiet",
            "--out",
            str(out),
        )
        elapsed = time.monotonic() - t0
    assert served.is_set()
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert f"cannot reach the model server at {url}" in proc.stderr
    assert "Traceback" not in proc.stderr
    started = (out / "results.jsonl").read_text().count('"type": "started"')
    assert started < 15 and elapsed < 120  # 15 episodes planned; the run stopped early
