"""``--record-video`` and ``--capture-fps``, shared by ``run``, ``workflow run`` and ``bench``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def add_video_arguments(parser: argparse.ArgumentParser, *, capture: bool = True) -> None:
    """Add the video flags to a subcommand."""
    g = parser.add_argument_group("video")
    g.add_argument(
        "--record-video",
        action="store_true",
        help="write video.mp4 (H.264, captions burned in) and video.vtt (thoughts) into the run directory",
    )
    g.add_argument(
        "--video-min-step-s",
        type=float,
        default=0.0,
        metavar="S",
        help="show each step at least S seconds in the video (default: real timing)",
    )
    if capture:
        g.add_argument(
            "--capture-fps",
            type=float,
            default=0.0,
            metavar="N",
            help="with --record-video on the desktop: film the screen N times a second between steps too",
        )


@contextmanager
def continuous_capture(args: argparse.Namespace, env: Any, run_dir: Path) -> Iterator[None]:
    """Film ``env`` into ``run_dir/capture.mp4`` while the block runs (when asked and able)."""
    fps = float(getattr(args, "capture_fps", 0.0) or 0.0)
    if not (args.record_video and fps > 0):
        yield
        return
    from screenpilot.app.video.capture_file import CaptureFile
    from screenpilot.environments.frames import FrameStream
    from screenpilot.tools.errors import ConfigError

    if not isinstance(env, FrameStream):
        raise ConfigError(f"--capture-fps: the {args.env!r} environment cannot film its screen (desktop can)")
    sink = CaptureFile(run_dir)
    handle = env.start_capture(sink, fps=fps)
    try:
        yield
    finally:
        stats = handle.stop()
        sink.close(stats)
        if not getattr(args, "quiet", False):
            print(
                f"capture: {stats.written} frames at {fps:g} fps, {stats.dropped} dropped, "
                f"grab {stats.grab_ms:.1f} ms + encode {stats.sink_ms:.1f} ms per frame",
                file=sys.stderr,
            )


def record_video(args: argparse.Namespace, run_dir: Path | None) -> None:
    """Render the run's video after it ended (when ``--record-video`` was given)."""
    if not args.record_video or run_dir is None:
        return
    from screenpilot.app.video.render import render_run
    from screenpilot.tools.errors import ConfigError

    try:
        rec = render_run(run_dir, min_step_s=args.video_min_step_s)
    except ConfigError as e:  # a run that never got to a step: nothing to film, not a failure
        print(f"video: not written: {e}", file=sys.stderr)
        return
    if not getattr(args, "quiet", False):
        print(
            f"video: {rec.video} ({rec.frames} frames, {rec.duration_s:.1f} s, {rec.bytes / 1024:.0f} KiB)",
            file=sys.stderr,
        )
