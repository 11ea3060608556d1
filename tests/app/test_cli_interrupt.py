"""Ctrl+C (SIGINT to the process group, as a terminal sends it) and SIGTERM stop every verb
cleanly: exit 130, ``result.json`` says ``aborted``, no traceback, and no Chromium or worker
process outlives the command."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "app" / "demo_site" / "login.html"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


class Command:
    """A ``screenpilot`` process in its own session, its output read line by line."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.mark = uuid.uuid4().hex
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCREENPILOT_", "OPENAI_"))}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "screenpilot", *args],
            cwd=cwd,
            env={**clean, "SCREENPILOT_TEST_MARK": self.mark, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line)

    def wait_for(self, ready: Callable[[str], bool], timeout_s: float = 120.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, "".join(self.lines)
                continue
            self.lines.append(line)
            if ready(line):
                return line
        raise AssertionError("never ready:\n" + "".join(self.lines))

    def interrupt(self, signum: int = signal.SIGINT, group: bool = True) -> int:
        if group:
            os.killpg(self.proc.pid, signum)
        else:
            self.proc.send_signal(signum)
        code = self.proc.wait(timeout=60)
        time.sleep(0.2)
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return code

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def survivors(self, grace_s: float = 10.0) -> list[str]:
        """Processes started by the command that are still alive."""
        deadline = time.monotonic() + grace_s
        while True:
            alive = _marked(self.mark)
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.2)


def _marked(mark: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark.encode() in (proc / "environ").read_bytes():
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except OSError:
            continue
    return found


def only_run(out: Path) -> dict:
    (run_dir,) = [d for d in out.iterdir() if (d / "manifest.json").exists()]
    return json.loads((run_dir / "result.json").read_text())


def waits(path: Path, n: int = 120) -> Path:
    path.write_text('{"action": "wait", "seconds": 0.5}\n' * n)
    return path


def check_clean_stop(cmd: Command, code: int) -> None:
    assert code == 130, cmd.output
    assert "Traceback" not in cmd.output, cmd.output
    assert cmd.survivors() == []


def test_run_in_chromium_stops_on_ctrl_c(tmp_path):
    script = waits(tmp_path / "waits.jsonl")
    cmd = Command(
        "run",
        "wait",
        "--url",
        str(PAGE),
        "--policy",
        "script",
        "-P",
        f"file={script}",
        "--out",
        "runs",
        cwd=tmp_path,
    )
    cmd.wait_for(lambda line: line.startswith("step   2"))
    check_clean_stop(cmd, cmd.interrupt(signal.SIGINT))
    result = only_run(tmp_path / "runs")
    assert result["status"] == "aborted" and "SIGINT" in result["reason"]
    assert "aborted: received SIGINT" in cmd.output


def test_run_stops_on_sigterm(tmp_path):
    script = waits(tmp_path / "waits.jsonl")
    cmd = Command(
        "run", "wait", "--url", str(PAGE), "--policy", "script", "-P", f"file={script}", cwd=tmp_path
    )
    cmd.wait_for(lambda line: line.startswith("step   1"))
    check_clean_stop(cmd, cmd.interrupt(signal.SIGTERM, group=False))
    assert only_run(tmp_path / "runs")["status"] == "aborted"


def test_demo_stops_on_ctrl_c_and_records_the_run(tmp_path):
    cmd = Command("demo", cwd=tmp_path)
    cmd.wait_for(lambda line: line.startswith("step   1"))
    check_clean_stop(cmd, cmd.interrupt())
    assert only_run(tmp_path / "runs")["status"] == "aborted"


def test_a_browser_workflow_stops_on_ctrl_c(tmp_path):
    flow = tmp_path / "flow.yaml"
    flow.write_text("name: slow\nsteps:\n" + "  - wait: 0.5\n" * 100)
    cmd = Command("workflow", "run", str(flow), "--url", str(PAGE), cwd=tmp_path)
    cmd.wait_for(lambda line: line.startswith("step   2"))
    check_clean_stop(cmd, cmd.interrupt())
    assert only_run(tmp_path / "runs")["status"] == "aborted"


def test_bench_stops_on_ctrl_c_with_its_workers(tmp_path):
    out = tmp_path / "bench"
    cmd = Command(
        "bench",
        "run",
        "fake",
        "-B",
        "step_delay_s=0.5",
        "--episodes",
        "20",
        "--workers",
        "2",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("episodes/*/events.jsonl")):
        assert time.monotonic() < deadline and cmd.proc.poll() is None, cmd.output
        time.sleep(0.2)
    time.sleep(1.0)
    check_clean_stop(cmd, cmd.interrupt())
    assert cmd.output.count("Traceback") == 0 and "continue with --resume" in cmd.output
    statuses = [json.loads(p.read_text())["status"] for p in out.glob("episodes/*/result.json")]
    assert "aborted" in statuses


def test_ui_stops_on_ctrl_c_and_aborts_its_runs(tmp_path):
    cmd = Command("ui", "--port", "0", "--runs", "runs", cwd=tmp_path)
    url = cmd.wait_for(lambda line: "screenpilot UI on http://" in line).split()[3]
    script = waits(tmp_path / "waits.jsonl")
    body = {
        "task": "wait",
        "env": "browser",
        "env_options": {"url": f"{url}/demo/login.html"},
        "policy": "script",
        "policy_options": {"file": str(script)},
    }
    request = urllib.request.Request(
        f"{url}/api/live", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    run_id = json.loads(urllib.request.urlopen(request, timeout=30).read())["run_id"]
    events = tmp_path / "runs" / run_id / "events.jsonl"
    deadline = time.monotonic() + 60
    while not (events.exists() and '"type": "step"' in events.read_text()):
        assert time.monotonic() < deadline, cmd.output
        time.sleep(0.2)
    check_clean_stop(cmd, cmd.interrupt())
    assert only_run(tmp_path / "runs")["status"] == "aborted"
