"""Bad inputs end with one line on stderr and exit 2, never a traceback or a hang; readers
given damaged runs carry on, naming what they left out."""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main

ONE_LINE = re.compile(r"screenpilot( [a-z-]+)*: error: ")
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "fake_login.jsonl"

LAUGHS = (
    "name: lol\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "steps: [*i]\n"
)


def _file(tmp: Path, name: str, content: str | bytes) -> str:
    path = tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def _run(tmp: Path, *extra: str) -> list[str]:
    base = ["run", "t", "--env", "fake", "--policy", "script", "-P", f"file={SCRIPT}"]
    return [*base, "--out", str(tmp / "runs"), *extra]


def _validate(tmp: Path, *files: tuple[str, str | bytes]) -> list[str]:
    return ["workflow", "validate", *(_file(tmp, name, text) for name, text in files)]


DEEP = "name: x\nsteps: " + "[" * 5000 + "]" * 5000
UNKNOWN_VAR = "name: v\nsteps: [{type: '${usr}', into: {text: x}}]\n"

CASES: dict[str, Callable[[Path], list[str]]] = {
    "negative steps": lambda t: _run(t, "--max-steps", "-1"),
    "nan seconds": lambda t: _run(t, "--max-seconds", "nan"),
    "negative model timeout": lambda t: _run(t, "--model-timeout", "-5"),
    "bad app yaml": lambda t: _run(t, "-E", f"app={_file(t, 'app.yaml', 'screens: [')}"),
    "app yaml of the wrong shape": lambda t: _run(t, "-E", f"app={_file(t, 'app2.yaml', '- 1')}"),
    "bad script json": lambda t: [*_run(t)[:6], "-P", f"file={_file(t, 's.json', '[{')}"],
    "unwritable out": lambda t: _run(t, "--out", _file(t, "a-file", "x") + "/runs"),
    "non-utf8 workflow": lambda t: _validate(t, ("w.yaml", b"name: \xff\xfe\nsteps: []\n")),
    "billion laughs": lambda t: _validate(t, ("lol.yaml", LAUGHS)),
    "deep nesting": lambda t: _validate(t, ("deep.yaml", DEEP)),
    "call cycle": lambda t: _validate(
        t, ("a.yaml", "name: a\nsteps: [{call: b.yaml}]\n"), ("b.yaml", "name: b\nsteps: [{call: a.yaml}]\n")
    ),
    "unknown variable": lambda t: _validate(t, ("v.yaml", UNKNOWN_VAR)),
    "port out of range": lambda t: ["ui", "--port", "99999"],
    "zero episodes": lambda t: ["bench", "run", "fake", "--episodes", "0", "--out", str(t / "b")],
    "negative episodes": lambda t: ["bench", "run", "fake", "--episodes", "-1", "--out", str(t / "b")],
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_and_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = CASES[case](tmp_path)
    tracemalloc.start()
    started = time.process_time()  # CPU time: other jobs on a busy machine do not count
    code = main(argv)
    elapsed = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    err = capsys.readouterr().err
    # a usage error may add the parser's "(see 'screenpilot VERB --help')" pointer
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("(see '")]
    assert code == 2, err
    assert len(lines) == 1 and ONE_LINE.match(lines[0]), err
    assert elapsed < 10 and peak < 100 * 2**20
    if case == "billion laughs":
        assert "expands to more than" in err
    if case == "call cycle":
        assert "cycle" in err


def test_billion_laughs_is_refused_within_a_second_and_100_mb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(_validate(tmp_path, ("ok.yaml", "name: ok\nsteps: [{wait: 0}]\n")))  # imports done first
    argv = _validate(tmp_path, ("lol.yaml", LAUGHS))
    tracemalloc.start()
    started = time.process_time()
    code = main(argv)
    elapsed = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and "expands to more than" in capsys.readouterr().err
    assert elapsed < 1.0 and peak < 100 * 2**20, (elapsed, peak)


def test_a_damaged_run_is_read_naming_what_was_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``report`` and ``workflow from-run`` on a run with a corrupt middle line, a truncated
    manifest and a truncated screenshot: each damaged part is named, the rest is used."""
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", "pw")
    assert main(_run(tmp_path, "--quiet", "--secret", "password")) == 0
    run_dir = next((tmp_path / "runs").iterdir())
    events = (run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events.insert(2, '{"type": "step", "index": 1, "act')
    (run_dir / "events.jsonl").write_text("\n".join(events) + "\n", encoding="utf-8")
    manifest = (run_dir / "manifest.json").read_bytes()
    (run_dir / "manifest.json").write_bytes(manifest[: len(manifest) // 2])
    last_step = next(e for e in map(json.loads, reversed(events[3:])) if e.get("screenshot"))
    shot = next((run_dir / "shots").glob(last_step["screenshot"] + "*"))
    shot.write_bytes(shot.read_bytes()[:100])
    capsys.readouterr()

    assert main(["report", str(run_dir)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and (run_dir / "report.html").is_file()
    assert "events.jsonl line 3" in err and "manifest.json" in err and shot.name in err, err
    code = main(["workflow", "from-run", str(run_dir), "-o", str(tmp_path / "replay.yaml")])
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err and "events.jsonl line 3" in err, err
    assert "steps:" in (tmp_path / "replay.yaml").read_text(encoding="utf-8")
