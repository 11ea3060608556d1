"""Start-up time of the command line against a bare interpreter, interleaved.

Run: ``python -m devtools.perf.cli_startup [--runs N]``

Each round runs, one after another in fresh processes: ``python -c pass`` (the floor every
command pays), ``screenpilot list``, ``screenpilot --help`` and ``screenpilot run --help``.
Printed: the median wall time of each over ``--runs`` rounds and its ratio to the bare
interpreter, then the modules over 5 ms (cumulative) that ``list`` imports, from
``python -X importtime``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

VARIANTS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "screenpilot list": [sys.executable, "-m", "screenpilot", "list"],
    "screenpilot --help": [sys.executable, "-m", "screenpilot", "--help"],
    "screenpilot run --help": [sys.executable, "-m", "screenpilot", "run", "--help"],
}


# as installed: modules load from cached bytecode (a shell that forbids writing it would
# make every run compile every module)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(command: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t0


def heavy_imports(command: list[str], threshold_us: int = 5000) -> list[tuple[int, str]]:
    """``(cumulative µs, module)`` of the top-level imports of ``command`` over the threshold."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, check=True, env=ENV
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2]
        if name.startswith("  "):
            continue  # only modules imported directly by the program
        cumulative = int(parts[1])
        if cumulative >= threshold_us:
            rows.append((cumulative, name.strip()))
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for command in VARIANTS.values():
        _time(command)  # bytecode cached, as after an install
    for _ in range(args.runs):
        for name, command in VARIANTS.items():
            times[name].append(_time(command))
    bare = statistics.median(times["python -c pass"])
    print(f"| command | median ms over {args.runs} interleaved runs | × python -c pass |")
    print("|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median * 1000:.0f} | {median / bare:.1f} |")
    print("\nimports of `screenpilot list` over 5 ms (cumulative):")
    for cumulative, name in heavy_imports(VARIANTS["screenpilot list"]):
        print(f"  {cumulative / 1000:6.1f} ms  {name}")


if __name__ == "__main__":
    main()
