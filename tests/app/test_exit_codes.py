"""The exit-code table in the README is the one the command uses, and each code is reachable."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from screenpilot.app.cli.exit_codes import EXIT_CODES, MEANING, ExitCode
from screenpilot.app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
LOGIN = ROOT / "examples" / "fake_login.jsonl"


def readme_table() -> dict[int, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("| exit code |") :]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section.split("\n\n")[0], flags=re.M)
    return {int(code): meaning for code, meaning in rows}


def test_the_readme_table_is_the_cli_table():
    assert readme_table() == {int(code): text for code, text in MEANING.items()}


def _script(tmp_path: Path, *lines: dict) -> str:
    path = tmp_path / "script.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return f"file={path}"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _argv(tmp_path: Path, code: ExitCode) -> list[str]:
    fake = ["--env", "fake", "--policy", "script", "--out", str(tmp_path / "runs")]
    if code == ExitCode.SUCCESS:
        return ["run", "sign in", *fake, "-P", f"file={LOGIN}", "--secret", "password"]
    if code == ExitCode.FAILURE:
        return ["run", "x", *fake, "-P", _script(tmp_path, {"action": "terminate", "status": "failure"})]
    if code == ExitCode.USAGE:
        return ["run", "x", "--env", "fake", "--policy", "no-such-policy"]
    if code == ExitCode.TRUNCATED:
        keys = [{"action": "key", "keys": ["tab"]}] * 5
        return ["run", "x", *fake, "--max-steps", "2", "-P", _script(tmp_path, *keys)]
    if code == ExitCode.TIMEOUT:
        waits = [{"action": "wait", "seconds": 0.3 + i / 100} for i in range(20)]  # no two alike
        return ["run", "x", *fake, "--max-seconds", "1", "-P", _script(tmp_path, *waits)]
    if code == ExitCode.LOOP:
        clicks = [{"action": "click", "at": {"x": 5, "y": 5, "space": "screen"}}] * 20
        return ["run", "x", *fake, "-P", _script(tmp_path, *clicks)]
    if code == ExitCode.ERROR:
        return ["run", "x", "--env", "fake", "--endpoint", f"http://127.0.0.1:{_closed_port()}/v1"]
    abort = tmp_path / "stop"
    abort.touch()
    return ["run", "x", *fake, "--abort-file", str(abort), "-P", _script(tmp_path, {"action": "wait"})]


@pytest.mark.parametrize("code", list(ExitCode), ids=[c.name.lower() for c in ExitCode])
def test_each_exit_code_is_driven(code, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", "wonderland")
    assert main(_argv(tmp_path, code)) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code not in (ExitCode.USAGE, ExitCode.ERROR):
        (run_dir,) = (tmp_path / "runs").iterdir()
        status = json.loads((run_dir / "result.json").read_text())["status"]
        assert EXIT_CODES[status] == code
