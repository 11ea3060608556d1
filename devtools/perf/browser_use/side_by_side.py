"""Per-step time of screenpilot and browser-use 0.13.14 on the same 10-click task, side by side.

Run from a checkout, with browser-use in its own environment (see README.md):
``python -m devtools.perf.browser_use.side_by_side --bu-python /tmp/bu/bin/python [--rounds 5]``

Serves the counter page on 127.0.0.1, then for each round runs one screenpilot run
(``screenpilot_side``, this interpreter) and one browser-use run (``bu_side``, the
``--bu-python`` interpreter), alternating which goes first, each in a fresh process with a
fresh headless Chromium at 1280x800. A run counts only when the page's counter reads the
number of clicks at the end. Prints each run, then the medians of per-step time (first
step's start to the end of the last click step, divided by the clicks; browser launch and
the page load excluded), of launch and of the whole run, and the ratio browser-use /
screenpilot, then what a step is made of on each side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from devtools.perf.browser_use.counter_page import serve_counter_page

REPO = Path(__file__).resolve().parents[3]


def run_side(framework: str, python: str, url: str, clicks: int, executable: str) -> dict[str, Any]:
    args = ["--url", url, "--clicks", str(clicks), "--executable", executable]
    module = "screenpilot_side" if framework == "screenpilot" else "bu_side"
    cmd = [python, "-m", f"devtools.perf.browser_use.{module}", *args]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"{framework} run failed (exit {done.returncode})")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if row["counter"] != clicks:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"{framework}: the page's counter reads {row['counter']}, not {clicks}: {row}")
    return row


def median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)


def stage_medians(rows: list[dict[str, Any]], key: str) -> dict[str, float]:
    names = sorted({name for r in rows for name in r[key]})
    return {n: statistics.median(float(r[key].get(n, 0.0)) for r in rows) for n in names}


def report(rows: dict[str, list[dict[str, Any]]], clicks: int) -> None:
    sp, bu = rows["screenpilot"], rows["browser-use"]
    print(f"\nmedians of {len(sp)} interleaved rounds, {clicks} clicks per run, counter verified each run")
    print(f"{'':<28}{'screenpilot':>12}{'browser-use':>13}{'bu / sp':>9}")
    for key, label, scale in (
        ("per_step_ms", "per step (ms)", 1.0),
        ("launch_s", "launch + page load (ms)", 1000.0),
        ("run_s", "whole run (ms)", 1000.0),
    ):
        a, b = median(sp, key) * scale, median(bu, key) * scale
        print(f"{label:<28}{a:>12.0f}{b:>13.0f}{b / a:>9.2f}")
    ratio = median(bu, "per_step_ms") / median(sp, "per_step_ms")
    paired = statistics.median(b["per_step_ms"] / a["per_step_ms"] for a, b in zip(sp, bu, strict=True))
    print(f"\nbrowser-use / screenpilot per step: {ratio:.2f}x of the medians, {paired:.2f}x median of")
    print("the rounds' own ratios (each round's two runs ran back to back); goal: >= 3x")
    print("\nscreenpilot, recorded stage times per click step (ms, medians):")
    stages = stage_medians(sp, "stages_ms")
    for name, ms in stages.items():
        print(f"  {name.removesuffix('_s'):<10}{ms:>8.1f}")
    rest = median(sp, "per_step_ms") - sum(stages.values())
    print(f"  {'the rest':<10}{rest:>8.1f}  (recording the step, the loop's own checks)")
    print("browser-use, its fixed waits per click step (ms, medians; sleeps and expired timeouts):")
    waits = stage_medians(bu, "waits_ms")
    for site, ms in waits.items():
        print(f"  {site:<66}{ms:>6.0f}")
    print(f"  {'total':<66}{sum(waits.values()):>6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bu-python", required=True, help="python of the environment with browser-use")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--executable", default="/usr/bin/chromium", help="Chromium binary for both")
    args = parser.parse_args()
    pythons = {"screenpilot": sys.executable, "browser-use": args.bu_python}
    rows: dict[str, list[dict[str, Any]]] = {"screenpilot": [], "browser-use": []}
    with serve_counter_page() as url:
        for i in range(args.rounds):
            order = ("screenpilot", "browser-use") if i % 2 == 0 else ("browser-use", "screenpilot")
            for fw in order:
                row = run_side(fw, pythons[fw], url, args.clicks, args.executable)
                rows[fw].append(row)
                print(
                    f"round {i + 1} {fw:<12} {row['per_step_ms']:7.0f} ms/step  "
                    f"launch {row['launch_s'] * 1000:5.0f} ms  run {row['run_s'] * 1000:6.0f} ms  "
                    f"counter {row['counter']}  status {row['status']}",
                    flush=True,
                )
    report(rows, args.clicks)


if __name__ == "__main__":
    main()
