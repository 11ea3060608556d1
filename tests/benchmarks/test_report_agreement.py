"""The CLI summary, ``summary.json`` and the HTML report agree on a benchmark run that mixes
solved episodes, episodes the agent failed, and episodes the agent called done although the
task's evaluator did not (success is the evaluator's word, never the agent's)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main

# The in-process runner plays the script in episode order: tasks in the benchmark's order
# (open-help, tick-remember, sign-in), episodes 0 and 1 of each.
SCRIPT = [
    {"action": "click", "at": {"x": 485, "y": 370}},  # open-help #0: the link -> solved
    {"action": "click", "at": {"x": 485, "y": 370}},  # open-help #1: solved
    {"action": "click", "at": {"x": 350, "y": 322}},  # tick-remember #0: the checkbox -> solved
    {"action": "terminate", "status": "success"},  # tick-remember #1: claims done, the task is not
    {"action": "terminate", "status": "success"},  # sign-in #0: claims done, is not
    {"action": "terminate", "status": "failure"},  # sign-in #1: the agent fails
]
EXPECTED = {"open-help": (2, 2), "sign-in": (0, 2), "tick-remember": (1, 2)}


def _html_rates(html: str) -> dict[str, tuple[int, int]]:
    rows = re.findall(r"<tr><td>([\w-]+)</td><td><span class=\"num\">\d+</span></td><td>(\d+)/(\d+) ", html)
    return {task: (int(ok), int(n)) for task, ok, n in rows}


def test_cli_summary_json_and_html_report_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "script.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in SCRIPT), encoding="utf-8")
    out = tmp_path / "run"
    argv = ["bench", "run", "fake", "--workers", "0", "--episodes", "2", "--out", str(out), "--quiet"]
    assert main([*argv, "--policy", "script", "-P", f"file={script}"]) == 0
    table = capsys.readouterr().out

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    from_json = {t["task_id"]: (t["successes"], t["episodes"]) for t in summary["tasks"]}
    assert from_json == EXPECTED and summary["overall"]["successes"] == 3

    for task, (ok, n) in EXPECTED.items():
        assert re.search(rf"^{task}\s+{n}\s+{100 * ok / n:.1f}%", table, re.MULTILINE), table
    assert re.search(r"^overall\s+6\s+50\.0%", table, re.MULTILINE)

    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert _html_rates(html) == EXPECTED
    assert '<h3>Success</h3><div class="value">3/6' in html
    # the self-declared episodes show the agent's status next to the evaluator's verdict
    episode_rows = re.findall(r'status-(\w+)">\w+</span></td><td>([✓✗])</td>', html)
    assert sorted(episode_rows).count(("success", "✗")) == 2
