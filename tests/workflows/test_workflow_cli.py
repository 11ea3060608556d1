import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from screenpilot.app.cli.main import main
from screenpilot.environments.fake import login_app
from tests.workflows.wf_helpers import EXAMPLES, ROOT

CANARY = "canary-81f0-secret"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCREENPILOT_SECRET_")}
    return subprocess.run(
        [sys.executable, "-m", "screenpilot.app.cli.main", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_validate_accepts_the_examples_and_names_the_line_of_a_mistake(tmp_path, capsys):
    assert main(["workflow", "validate", *map(str, sorted(EXAMPLES.glob("*.yaml")))]) == 0
    out = capsys.readouterr().out
    assert "display_names.yaml: ok ('display names', 5 steps, calls 1 workflow file(s))" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: b\nsteps:\n  - press: enter\n  - scroll: sideways\n")
    assert main(["workflow", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:5: steps[1].scroll: Input should be 'up', 'down', 'left' or 'right'" in err


def test_run_with_a_secrets_file_keeps_the_canary_out_of_output_and_files(tmp_path):
    app = tmp_path / "app.yaml"
    app.write_text(yaml.safe_dump(login_app(password=CANARY).model_dump(mode="json")))
    secrets = tmp_path / "secrets.env"
    secrets.write_text(f"password={CANARY}\n")
    out = tmp_path / "runs"
    proc = cli(
        "workflow",
        "run",
        str(EXAMPLES / "login.yaml"),
        "--env",
        "fake",
        "-E",
        f"app={app}",
        "-E",
        "popup=1.0",
        "--var",
        "user=alice",
        "--secrets-file",
        str(secrets),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "observer 'cookie banner'" in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("success: all steps done")
    assert CANARY not in proc.stdout + proc.stderr
    (run_dir,) = out.iterdir()
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["workflow"] == "login" and manifest["secrets"] == ["password"]


def test_run_reports_missing_secrets_and_unknown_variables_as_usage_errors(tmp_path):
    proc = cli("workflow", "run", str(EXAMPLES / "login.yaml"), "--env", "fake", "--out", str(tmp_path))
    assert proc.returncode == 2 and "SCREENPILOT_SECRET_PASSWORD" in proc.stderr
    proc = cli(
        "workflow",
        "run",
        str(EXAMPLES / "login.yaml"),
        "--env",
        "fake",
        "--var",
        "usr=bob",
        "--out",
        str(tmp_path),
        env={"SCREENPILOT_SECRET_PASSWORD": "wonderland"},
    )
    assert proc.returncode == 2 and "no variable 'usr' (declared: user)" in proc.stderr


def test_from_run_compiles_an_agent_run_that_replays_without_a_model(tmp_path):
    secret = {"SCREENPILOT_SECRET_PASSWORD": "wonderland"}
    agent_out = tmp_path / "agent"
    proc = cli(
        "run",
        "log in and open the invoices",
        "--env",
        "fake",
        "--policy",
        "script",
        "-P",
        f"file={ROOT / 'examples' / 'fake_login.jsonl'}",
        "--secret",
        "password",
        "--out",
        str(agent_out),
        "--quiet",
        env=secret,
    )
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = agent_out.iterdir()
    replay = tmp_path / "replay.yaml"
    assert main(["workflow", "from-run", str(run_dir), "-o", str(replay), "--name", "replay"]) == 0
    data = yaml.safe_load(replay.read_text())
    assert data["name"] == "replay" and data["secrets"] == ["password"]
    assert data["steps"][0]["click"]["text"] == "Username"
    assert data["steps"][-1]["click"]["text"] == "Invoices"
    proc = cli("workflow", "run", str(replay), "--env", "fake", "--out", str(tmp_path / "wf"), env=secret)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "opened invoices" in proc.stdout


def test_from_run_refuses_a_failed_run(tmp_path: Path, capsys):
    run_dir = tmp_path / "r"
    run_dir.mkdir()
    (run_dir / "result.json").write_text(json.dumps({"status": "failure"}))
    assert main(["workflow", "from-run", str(run_dir)]) == 2
    assert "only successful runs compile" in capsys.readouterr().err
