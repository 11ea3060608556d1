"""``screenpilot run TASK --env android --serial S`` against the simulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main
from screenpilot.environments.android.simulator import AdbSimulator

pytestmark = pytest.mark.android


def test_cli_run_with_a_script(sim: AdbSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "steps.jsonl"
    script.write_text(
        "\n".join(
            json.dumps(a)
            for a in (
                {"action": "open_app", "name": "Clock"},
                {"action": "system_button", "button": "app_switch"},
                {"action": "answer", "text": "opened"},
            )
        )
    )
    code = main(
        [
            "run", "open the clock, then show recent apps",
            "--env", "android", "--serial", sim.serial, "-E", f"port={sim.port}",
            "--policy", "script", "-P", f"file={script}", "--out", str(tmp_path / "runs"), "--quiet",
        ]
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    assert sim.device.state.stack == ["launcher", "clock", "recents"]
    manifest = json.loads(next((tmp_path / "runs").glob("*/manifest.json")).read_text())
    assert manifest["platform"] == "android" and manifest["environment"] == "android"


def test_cli_reports_bad_options_and_unknown_serial(
    sim: AdbSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "steps.jsonl"
    script.write_text('{"action": "wait", "seconds": 0}\n')
    common = ["--policy", "script", "-P", f"file={script}", "-E", f"port={sim.port}", "--out", str(tmp_path)]
    assert main(["run", "x", "--env", "android", "-E", "screenshot=jpeg", *common]) == 2
    assert "screenshot" in capsys.readouterr().err
    assert main(["run", "x", "--env", "android", "--serial", "nope", *common]) == 2
    assert "device 'nope' not found" in capsys.readouterr().err
