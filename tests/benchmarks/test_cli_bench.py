import json

from screenpilot.app.cli.main import main


def test_bench_list_shows_every_miniwob_task(capsys):
    assert main(["bench", "list"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 134 and "134 tasks" in out.err
    assert any(line.startswith("click-button ") and line.endswith("10s") for line in lines)
    assert main(["bench", "list", "--tasks", "email-*", "--exclude", "*turk"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names and all(n.startswith("email-") and not n.endswith("turk") for n in names)


def test_bench_run_in_process_writes_reports(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["bench", "run", "fake", "--workers", "0", "--episodes", "2", "--out", str(out), "--quiet"]
    assert main([*argv, "--tasks", "open-*", "tick-*"]) == 0
    printed = capsys.readouterr().out
    assert "open-help" in printed and "100.0%" in printed and "sign-in" not in printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overall"]["episodes"] == 4 and summary["overall"]["successes"] == 4
    assert (out / "summary.md").read_text().startswith("# fake results")
    # Running again into the same directory needs --resume; a typo in a glob is an error.
    assert main([*argv, "--tasks", "open-*"]) == 2
    assert main([*argv, "--resume", "--tasks", "nope-*"]) == 2
    assert "no task matches" in capsys.readouterr().err


def test_listing_includes_grounders(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "grounders:" in out and "center" in out and "dom-match" in out
