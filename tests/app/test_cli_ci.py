"""What CI needs from the command: ``--json`` results, several workflows with one exit code,
``bench --fail-under`` and ``--junit``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from screenpilot.app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
LOGIN_SCRIPT = ROOT / "examples" / "fake_login.jsonl"
LOGIN_FLOW = ROOT / "examples" / "workflows" / "login.yaml"


def test_run_json_is_one_object_with_the_run_dir(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", "wonderland")
    argv = ["run", "sign in", "--env", "fake", "--policy", "script", "-P", f"file={LOGIN_SCRIPT}"]
    assert main([*argv, "--secret", "password", "--out", str(tmp_path), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)  # nothing else on stdout
    assert data["status"] == "success" and data["exit_code"] == 0 and data["steps"] >= 3
    assert Path(data["run_dir"]).parent == tmp_path and (Path(data["run_dir"]) / "result.json").exists()
    assert set(data["timings"]) >= {"observe_s", "predict_s", "act_s", "settle_s"}
    assert "step   1" in err  # the steps go to stderr
    assert "wonderland" not in out + err


def test_several_workflows_run_with_a_summary_and_the_first_failure_as_exit_code(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", "wonderland")
    failing = tmp_path / "failing.yaml"
    failing.write_text(
        "name: failing\nsteps:\n  - assert: {visible: {text: Nowhere to be seen}}\n    timeout: 0.2\n"
    )
    argv = ["workflow", "run", str(LOGIN_FLOW), str(failing), str(LOGIN_FLOW), "--env", "fake"]
    assert main([*argv, "--out", str(tmp_path / "runs")]) == 1
    out = capsys.readouterr().out
    assert "3 of 3 workflows ran:" in out and "2 succeeded, 1 did not" in out
    assert main([*argv, "--out", str(tmp_path / "runs"), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == 1 and [w["status"] for w in data["workflows"]] == [
        "success",
        "failure",
        "success",
    ]
    assert data["workflows"][1]["workflow"] == str(failing)


def test_one_workflow_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", "wonderland")
    argv = ["workflow", "run", str(LOGIN_FLOW), "--env", "fake", "--out", str(tmp_path), "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "success" and data["workflow"] == str(LOGIN_FLOW) and data["healed"] == []


def test_bench_fail_under_and_junit(tmp_path, capsys):
    junit = tmp_path / "bench.xml"
    argv = ["bench", "run", "fake", "--episodes", "1", "--workers", "0", "--quiet", "--junit", str(junit)]
    # dom-match clicks the quoted element: it solves two of the three fake tasks
    assert main([*argv, "--out", str(tmp_path / "a"), "--fail-under", "0.5"]) == 0
    assert main([*argv, "--out", str(tmp_path / "b"), "--fail-under", "90%"]) == 1
    assert "is under --fail-under 90%" in capsys.readouterr().err
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "3"
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(cases) == 3 and len(failed) == int(suite.get("failures") or 0) >= 1
    assert all(c.find("system-out").text.startswith("trajectory: episodes/") for c in cases)
