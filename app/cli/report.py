"""``screenpilot report PATH``: an HTML report of a run or of a benchmark directory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        help="write an HTML report of a run or a benchmark",
        description="Write a self-contained HTML report. PATH is a run directory (one episode) or "
        "a directory of runs (a benchmark: every episode gets its own report.html and PATH gets a "
        "summary page linking to them).",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="run directory or benchmark directory")
    p.add_argument("--out", type=Path, help="output file (default: PATH/report.html)")
    p.add_argument("--max-width", type=int, default=1024, help="downscale screenshots to this width")
    p.add_argument("--quality", type=int, default=70, help="JPEG quality of embedded screenshots")
    p.add_argument("--quiet", action="store_true", help="print only the output path")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.agent.progress import Progress
    from screenpilot.app.report.discover import is_run_dir
    from screenpilot.app.report.episode import write_episode_report
    from screenpilot.app.report.summary import write_benchmark_report
    from screenpilot.tools.errors import ConfigError

    path: Path = args.path
    if not path.is_dir():
        raise ConfigError(f"{path} is not a directory")
    warnings: list[str] = []
    opts: dict[str, Any] = {"max_width": args.max_width, "quality": args.quality, "warnings": warnings}
    if is_run_dir(path):
        out = write_episode_report(path, args.out, **opts)
    else:
        bar = None if args.quiet else Progress(desc="report", every_percent=10)
        out = write_benchmark_report(path, args.out, progress=bar, **opts)
        if bar is not None:
            bar.close()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(out)
    return 0
