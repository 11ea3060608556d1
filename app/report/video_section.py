"""The run's video in its report: a ``<video>`` player with the thoughts as subtitles.

The video is linked, not embedded (it can be megabytes); the WebVTT track is embedded as
a data URL because Chromium refuses to load a ``<track>`` file from a ``file://`` page
(each file is its own origin there), and a report is usually opened from disk.
"""

from __future__ import annotations

import base64
from pathlib import Path

from screenpilot.app.report.html import esc

VIDEO_FILE = "video.mp4"
VTT_FILE = "video.vtt"


def video_section(run_dir: Path, base_url: str) -> str:
    """The player, or ``""`` when the run has no ``video.mp4``.

    Args:
        run_dir: The run directory.
        base_url: URL of the run directory as seen from the page ("" when the page sits in it,
            ``/media/<run>/`` in the web UI); must end with ``/`` unless empty.
    """
    if not (run_dir / VIDEO_FILE).is_file():
        return ""
    track = ""
    vtt = run_dir / VTT_FILE
    if vtt.is_file():
        data = base64.b64encode(vtt.read_bytes()).decode("ascii")
        track = (
            f'<track kind="subtitles" label="Thoughts" srclang="en" default '
            f'src="data:text/vtt;base64,{data}">'
        )
    src = esc(base_url + VIDEO_FILE)
    return (
        f'<section class="video"><h2>Video</h2><video id="run-video" controls preload="metadata" '
        f'src="{src}">{track}</video><p class="note"><a href="{src}">video.mp4</a> · step number, '
        "action marks and a caption burned in; subtitles: the thoughts</p></section>"
    )
