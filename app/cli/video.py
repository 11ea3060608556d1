"""``screenpilot video RUN_DIR``: the video of a recorded run (or of every run below a directory)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "video",
        help="make an MP4 of a recorded run",
        description="Render a run directory into video.mp4 (H.264, step number, action marks and a "
        "caption burned in), video.vtt (the thoughts as subtitles) and video.json (video time to "
        "step). A directory of runs (a benchmark) gets one video per run.",
        epilog="examples:\n  screenpilot video runs/latest\n"
        "  screenpilot video results/mw --min-step-s 1   # every episode of a benchmark run\n",
    )
    p.add_argument("path", type=Path, metavar="RUN_DIR", help="run directory or directory of runs")
    p.add_argument(
        "--min-step-s",
        type=float,
        default=0.0,
        metavar="S",
        help="show each step at least S seconds (default: real timing)",
    )
    p.add_argument("--crf", type=int, default=30, help="H.264 quality, 0-51, lower is better (default: 30)")
    p.add_argument(
        "--max-side",
        type=int,
        default=1280,
        help="scale frames down to this many pixels on their longer side",
    )
    p.add_argument("--quiet", action="store_true", help="print only the video paths")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.app.report.discover import find_episodes, is_run_dir
    from screenpilot.app.video.render import render_run
    from screenpilot.tools.errors import ConfigError
    from screenpilot.tools.video.writer import VideoConfig

    path: Path = args.path
    if not path.is_dir():
        raise ConfigError(f"{path} is not a directory")
    config = VideoConfig(crf=args.crf, max_side=args.max_side)
    dirs = [path] if is_run_dir(path) else [e.run_dir for e in find_episodes(path)]
    if not dirs:
        raise ConfigError(f"{path} holds no runs")
    for run_dir in dirs:
        try:
            rec = render_run(run_dir, config, min_step_s=args.min_step_s)
        except ConfigError as e:
            if len(dirs) == 1:
                raise
            print(f"{run_dir}: skipped: {e}", file=sys.stderr)  # a run that never took a step
            continue
        if args.quiet:
            print(rec.video)
        else:
            print(
                f"{rec.video}: {rec.frames} frames, {rec.duration_s:.1f} s, {rec.bytes / 1024:.0f} KiB "
                f"(from {rec.source}, {rec.render_s:.1f} s to render); subtitles {rec.subtitles.name}"
            )
    return 0
