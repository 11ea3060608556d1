import json
import subprocess
import sys
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "fake_login.jsonl"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "screenpilot.app.cli.main", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_run_prints_steps_and_exits_zero_on_success(tmp_path):
    proc = run_cli(
        "run",
        "log in as alice and open the invoices tab",
        "--env",
        "fake",
        "--policy",
        "script",
        "-P",
        f"file={SCRIPT}",
        "--secret",
        "password",
        "--out",
        str(tmp_path),
        env={"SCREENPILOT_SECRET_PASSWORD": "wonderland"},
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("step   1  click(")
    assert "opened invoices" in proc.stdout
    assert lines[-1].startswith("success:")
    assert "wonderland" not in proc.stdout
    (run_dir,) = tmp_path.iterdir()
    assert json.loads((run_dir / "result.json").read_text())["status"] == "success"


def test_run_exits_non_zero_when_the_task_fails(tmp_path):
    script = tmp_path / "s.jsonl"
    script.write_text('{"action": "terminate", "status": "failure", "reason": "cannot"}\n')
    proc = run_cli(
        "run", "x", "--env", "fake", "--policy", "script", "-P", f"file={script}", "--out", str(tmp_path)
    )
    assert proc.returncode == 1
    assert "failure: cannot" in proc.stdout


def test_step_budget_exit_code(tmp_path, capsys):
    script = tmp_path / "s.jsonl"
    script.write_text('{"action": "key", "keys": ["tab"]}\n' * 5)
    argv = ["run", "x", "--env", "fake", "--policy", "script", "-P", f"file={script}", "--max-steps", "2"]
    code = main([*argv, "--out", str(tmp_path)])
    assert code == 3
    assert "truncated" in capsys.readouterr().out


def test_the_model_flags_choose_the_policy_and_the_default_is_the_offline_one_in_a_browser():
    from screenpilot.app.cli.common import choose_policy
    from screenpilot.app.cli.main import build_parser

    def chosen(*argv: str) -> tuple[str, str]:
        args = build_parser().parse_args(["run", "x", *argv])
        return choose_policy(args), args.env

    assert chosen() == ("offline", "browser")
    assert chosen("--endpoint", "http://127.0.0.1:8000/v1")[0] == "qwen3vl"
    assert chosen("--model-path", "/models/qwen")[0] == "qwen3vl-local"
    assert chosen("--policy", "script", "--endpoint", "http://x")[0] == "script"


def test_unknown_names_list_the_available_ones(capsys):
    assert main(["run", "x", "--env", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown environment 'nope'" in err and "fake" in err
    assert main(["run", "x", "--policy", "nope"]) == 2
    assert "unknown policy 'nope'" in capsys.readouterr().err


def test_bad_options_are_config_errors(capsys):
    assert main(["run", "x", "--policy", "script", "-P", "fiel=x"]) == 2
    assert "accepted: file" in capsys.readouterr().err


def test_missing_secret_variable_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.delenv("SCREENPILOT_SECRET_TOKEN", raising=False)
    assert main(["run", "x", "--policy", "script", "-P", f"file={SCRIPT}", "--secret", "token"]) == 2
    assert "SCREENPILOT_SECRET_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["run", "--help"]])
def test_help_and_list_do_not_import_heavy_modules(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from screenpilot.app.cli.main import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'transformers', 'playwright', 'cv2', 'onnxruntime', "
        "'rapidocr', 'pyautogui', 'adbutils', 'openai', 'PIL', 'numpy', 'pydantic', "
        "'screenpilot.tools.actions') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, text=True, capture_output=True, check=False, timeout=60
    )
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_version_prints_the_version() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("screenpilot ")


def test_list_shows_registered_names(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "fake" in out and "script" in out


def test_step_lines_show_the_stages_a_step_spent_time_in() -> None:
    from screenpilot.agent.result import StageTimes, StepEvent
    from screenpilot.app.cli.output import stage_summary

    workflow_step = StepEvent(index=0, times=StageTimes(locate_s=0.31, act_s=0.01, settle_s=0.2))
    agent_step = StepEvent(index=1, times=StageTimes(observe_s=0.05, predict_s=1.5, act_s=0.0))
    assert stage_summary(workflow_step) == "locate 0.31s act 0.01s settle 0.20s"
    assert stage_summary(agent_step) == "predict 1.50s act 0.00s"
    settled = StepEvent(index=2, times=StageTimes(act_s=0.01, settle_s=0.03, settle_checks=2))
    assert stage_summary(settled) == "act 0.01s settle 0.03s"
    unsettled = StepEvent(
        index=3, times=StageTimes(act_s=0.01, settle_s=2.0, settle_checks=40, settle_timeouts=1)
    )
    assert stage_summary(unsettled) == "act 0.01s settle 2.00s (not settled after 40 checks)"
