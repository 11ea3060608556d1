"""Report and web UI costs: ``python -m devtools.perf.report``.

Prints medians of several runs: rendering the demo run's report (and its size against the
PNG screenshots it embeds), importing the UI's modules in a fresh interpreter, and the UI
server's time from start to its first answer.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from screenpilot.app.report.episode import render_episode
from screenpilot.app.report.sample_runs import record_demo_run

RUNS = 5


def _median_s(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_s(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _server_start_s(runs_dir: Path) -> float:
    from screenpilot.app.ui.app import UISettings, create_app
    from screenpilot.app.ui.server import BackgroundServer

    t0 = time.perf_counter()
    with BackgroundServer(create_app(UISettings(runs_dir=runs_dir))) as server:
        with urllib.request.urlopen(server.url + "/api/registry", timeout=10) as r:  # noqa: S310 (local)
            r.read()
        elapsed = time.perf_counter() - t0
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = record_demo_run(Path(tmp), run_id="demo")
        assert result.run_dir is not None
        shots = sum(p.stat().st_size for p in (result.run_dir / "shots").glob("*.png"))
        html = render_episode(result.run_dir)
        render = _median_s(lambda: render_episode(result.run_dir))  # type: ignore[arg-type]
        print(f"report of {result.steps} steps (1200x900 screenshots): median {render * 1000:.0f} ms")
        print(
            f"report size {len(html) / 1024:.0f} KiB vs {shots / 1024:.0f} KiB of PNG screenshots "
            f"(ratio {len(html) / shots:.2f})"
        )
        base = statistics.median(_import_s("screenpilot.agent.loop") for _ in range(3))
        app = statistics.median(_import_s("screenpilot.app.ui.app") for _ in range(3))
        server = statistics.median(_import_s("screenpilot.app.ui.server") for _ in range(3))
        print(f"import screenpilot.agent.loop (the core, baseline): median {base * 1000:.0f} ms")
        print(
            f"import screenpilot.app.ui.app (core + starlette): median {app * 1000:.0f} ms "
            f"(x{app / base:.2f} of core)"
        )
        print(f"import screenpilot.app.ui.server (uvicorn): median {server * 1000:.0f} ms")
        starts = [_server_start_s(Path(tmp)) for _ in range(RUNS)]
        print(f"UI server start to first answer: median {statistics.median(starts) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
