"""Each first-use mistake ends in one line that names the cause and the fix, with the exit
code the README promises, and no traceback (``--debug`` shows it)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main
from tests.app.servers import model_server

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "fake_login.jsonl"
# a command line whose optional modules can be made to look uninstalled
RUNNER = (
    "import sys; [sys.modules.__setitem__(m, None) for m in sys.argv[1].split(',') if m];"
    "from screenpilot.app.cli.main import main; sys.exit(main(sys.argv[2:]))"
)


def cli(*args: str, missing: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCREENPILOT_", "OPENAI_"))}
    return subprocess.run(
        [sys.executable, "-c", RUNNER, missing, *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
        env={**clean, **(env or {})},
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.startswith("screenpilot: ")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "x", "--max-steps", "0"], "argument --max-steps: must be at least 1, not 0"),
        (["run", "x", "--model-timeout", "-1"], "argument --model-timeout: must be more than 0"),
        (["report", "runs", "--max-width", "0"], "argument --max-width: must be at least 1, not 0"),
        (["run", "x", "--env", "brwser"], "unknown environment 'brwser'"),
        (["run", "x", "--policy", "ofline"], "did you mean 'offline'?"),
    ],
)
def test_bad_values_and_names_are_usage_errors(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_a_report_of_a_folder_without_runs_is_an_error_not_an_empty_page(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert f"{tmp_path} holds no run" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()


def test_a_secret_the_run_needs_but_was_not_given_is_a_usage_error(tmp_path, capsys):
    argv = ["run", "Sign in", "--env", "fake", "--policy", "script", "-P", f"file={SCRIPT}"]
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert "unknown secret 'password'" in capsys.readouterr().out
    (run_dir,) = tmp_path.iterdir()
    result = json.loads((run_dir / "result.json").read_text())
    assert (result["status"], result["error_type"]) == ("error", "ConfigError")


def test_missing_extras_name_the_extra_to_install(tmp_path):
    with model_server(200) as (url, _):
        http = cli("run", "x", "--env", "fake", "--endpoint", url, "--model", "m", missing="openai")
    assert http.returncode == 2
    assert "pip install 'screenpilot[http]'" in one_line_error(http)
    desktop = cli("run", "x", "--env", "desktop", "--out", str(tmp_path), missing="mss,Xlib,pyautogui")
    assert desktop.returncode == 2
    assert "pip install 'screenpilot[desktop]'" in one_line_error(desktop)


def _one_sample(data: Path) -> None:
    from PIL import Image

    (data / "screenspotv2_image").mkdir(parents=True)
    Image.new("RGB", (64, 48), "white").save(data / "screenspotv2_image" / "a.png")
    sample = {"img_filename": "a.png", "bbox": [1, 1, 10, 10], "instruction": "x", "data_type": "text"}
    (data / "screenspot_web_v2.json").write_text(json.dumps([sample]))


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path):
    _one_sample(tmp_path / "data")
    # a plug-in grounder with a bug: nothing anybody planned for
    argv = ["bench", "grounding", "--data", str(tmp_path / "data"), "--grounder", "tests.app.broken:grounder"]
    plain = cli(*argv)
    assert plain.returncode == 6
    line = one_line_error(plain)
    assert (
        line == "screenpilot: error: unexpected ZeroDivisionError: division by zero "
        "(run with --debug for the traceback)"
    )
    debug = cli(*argv, env={"SCREENPILOT_DEBUG": "1"})
    assert "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr
    assert debug.returncode == 6
    assert cli(*argv, "--debug").stderr.count("Traceback") == 1


def test_ui_on_a_taken_port_says_so_before_announcing_anything():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = cli("ui", "--port", str(port))
    assert proc.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in one_line_error(proc)
    assert "screenpilot UI on" not in proc.stdout


def test_bench_tasks_take_commas_and_suggest_names(capsys):
    assert main(["bench", "list", "--benchmark", "fake", "--tasks", "open-help,sign-in"]) == 0
    assert capsys.readouterr().err.strip().endswith("2 tasks")
    assert main(["bench", "list", "--benchmark", "fake", "--tasks", "sign-n"]) == 2
    assert "no task matches 'sign-n'; did you mean sign-in?" in capsys.readouterr().err


def _timed(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    proc = cli(*args)
    return proc, time.monotonic() - t0


def test_a_model_server_that_is_down_or_silent_is_found_within_three_seconds():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    down, down_s = _timed("run", "x", "--env", "fake", "--endpoint", refused, "--model", "m")
    assert down.returncode == 6
    assert f"cannot reach the model server at {refused}" in one_line_error(down)
    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        hung, hung_s = _timed("run", "x", "--env", "fake", "--endpoint", url, "--model", "m")
    assert hung.returncode == 6
    assert f"cannot reach the model server at {url} (timed out)" in one_line_error(hung)
    # the same command, the same machine: the probe's wait is all that differs
    assert hung_s - down_s < 3.0, (hung_s, down_s)
