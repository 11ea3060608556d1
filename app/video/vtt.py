"""A WebVTT subtitle track of a run's thoughts, one cue per step."""

from __future__ import annotations

from collections.abc import Iterable

from screenpilot.app.report.steps import StepView
from screenpilot.app.video.timeline import Segment

_MAX_CUE = 400


def vtt_time(seconds: float) -> str:
    """``83.5`` -> ``00:01:23.500``."""
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _cue_text(view: StepView) -> str:
    body = view.thought.strip() or "; ".join(a.text for a in view.actions) or (view.error or "")
    # "-->" reads as a cue timing, "<" and "&" as markup, a blank line ends the cue
    body = body.replace("-->", "→").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    text = "\n".join(lines)
    if len(text) > _MAX_CUE:
        text = text[: _MAX_CUE - 1] + "…"
    return f"Step {view.index + 1}: {text}" if text else f"Step {view.index + 1}"


def webvtt(cues: Iterable[tuple[Segment, StepView]]) -> str:
    """The WebVTT document: each step's thought from its start to its end."""
    out = ["WEBVTT", ""]
    for seg, view in cues:
        end = max(seg.end_s, seg.start_s + 0.001)
        out += [f"step-{seg.step + 1}", f"{vtt_time(seg.start_s)} --> {vtt_time(end)}", _cue_text(view), ""]
    return "\n".join(out)
