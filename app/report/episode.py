"""The report of one run: summary, timeline of steps and the other events."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from screenpilot.agent.trajectory.reader import Trajectory, load_run
from screenpilot.app.report.html import esc, fmt_int, fmt_s, page, status_badge, table
from screenpilot.app.report.images import DEFAULT_MAX_WIDTH, DEFAULT_QUALITY, ShotCache
from screenpilot.app.report.overlay import svg_overlay
from screenpilot.app.report.steps import StepView, step_view
from screenpilot.app.report.video_section import video_section

_QUIET_EVENTS = {"step", "run_started", "run_finished"}


def _cards(traj: Trajectory, steps: list[StepView]) -> str:
    result = traj.result or {}
    usage = result.get("usage") or {}
    if not usage:
        usage = {k: sum(s.usage.get(k, 0) for s in steps) for k in ("input_tokens", "output_tokens", "calls")}
    elapsed = result.get("elapsed_s")
    if elapsed is None:
        elapsed = sum(s.seconds for s in steps)
    cards = [
        ("Status", status_badge(result.get("status"))),
        ("Steps", fmt_int(result.get("steps", len(steps)))),
        ("Time", esc(fmt_s(elapsed))),
        (
            "Tokens",
            f"{fmt_int(usage.get('input_tokens'))} in · {fmt_int(usage.get('output_tokens'))} out"
            f"<small>{fmt_int(usage.get('calls'))} calls</small>",
        ),
    ]
    return "".join(f'<div class="card"><h3>{k}</h3><div class="value">{v}</div></div>' for k, v in cards)


def _meta(traj: Trajectory) -> str:
    m, r = traj.manifest, traj.result or {}
    created = m.get("created")
    rows = [
        ("Run", m.get("run_id") or traj.run_dir.name),
        (
            "Reason",
            r.get("reason") or ("not finished (still running, or killed)" if not traj.finished else ""),
        ),
        ("Answer", r.get("answer")),
        ("Policy", m.get("policy")),
        ("Model", m.get("model")),
        ("Environment", m.get("environment") or m.get("platform")),
        ("Task name", m.get("task_name")),
        ("Started", time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created)) if created else None),
        ("screenpilot", m.get("screenpilot")),
    ]
    cells = [[f"<b>{esc(k)}</b>", esc(v)] for k, v in rows if v not in (None, "")]
    # Only the stages the run used: agent runs never locate, workflows never predict.
    stages = [f"{k[:-2]} {fmt_s(v)}" for k, v in (r.get("times") or {}).items() if v]
    if stages:
        cells.append(["<b>Stage totals</b>", esc(" · ".join(stages))])
    return table(["", ""], cells, cls="meta")


def _nav(steps: list[StepView]) -> str:
    chips = "".join(
        f'<a class="chip {"ok" if s.ok else "fail"}" href="#step-{s.index + 1}" '
        f'data-index="{i}">{s.index + 1}</a>'
        for i, s in enumerate(steps)
    )
    return (
        '<nav class="stepnav"><button id="prev" type="button">◀ Prev</button>'
        f'<span id="position">{len(steps)} steps</span><button id="next" type="button">Next ▶</button>'
        f'<div class="chips">{chips}</div></nav>'
    )


def _shot(step: StepView, shots: ShotCache) -> str:
    got = shots.get(step.screenshot) if step.screenshot else None
    if got is None:
        return '<div class="shot missing">no screenshot</div>'
    url, size = got
    w, h = step.image_size or size
    note = (
        '<p class="note">approximate marks: this run predates recorded geometry</p>'
        if step.approximate
        else ""
    )
    caption = " · ".join(esc(x) for x in (step.title, step.url) if x)
    return (
        f'<div class="shot"><div class="frame" style="aspect-ratio:{w}/{h}"><img src="{url}" '
        f'width="{w}" height="{h}" alt="screenshot of step {step.index + 1}">{svg_overlay(step.marks, w, h)}'
        f'</div><div class="caption">{caption}</div>{note}</div>'
    )


def _actions(step: StepView) -> str:
    items = []
    for a in step.actions:
        mark = "✓" if a.ok else "✗"
        err = f' <span class="etype">{esc(a.error_type)}</span>' if a.error_type else ""
        msg = f' <span class="msg">{esc(a.message)}</span>' if a.message else ""
        effect = f'<div class="effect">{esc(a.effect)}</div>' if a.effect and a.effect != a.message else ""
        items.append(
            f'<li class="{"ok" if a.ok else "fail"}">{mark} <code>{esc(a.text)}</code>{err}{msg}{effect}</li>'
        )
    return f'<ul class="actions">{"".join(items)}</ul>' if items else ""


def _badges(step: StepView) -> str:
    popup = f'<div class="popup">Popup dismissed: {esc(step.popup)}</div>' if step.popup else ""
    ended = f'<div class="error">The run ended here: {esc(step.run_failed)}</div>' if step.run_failed else ""
    return popup + ended


def _texts(title: str, values: tuple[str, ...], cls: str) -> str:
    if not values:
        return ""
    return (
        f'<div class="{cls}"><h4>{title}</h4><ul>{"".join(f"<li>{esc(v)}</li>" for v in values)}</ul></div>'
    )


def _step(step: StepView, shots: ShotCache, position: int) -> str:
    times = " · ".join(f"{k[:-2]} {fmt_s(v)}" for k, v in step.stage_seconds.items() if v)
    if step.times.get("settle_timeouts"):
        times += f" (not settled after {step.times.get('settle_checks', 0):g} checks)"
    usage = step.usage
    tokens = (
        f"{fmt_int(usage.get('input_tokens'))} in / {fmt_int(usage.get('output_tokens'))} out"
        if usage
        else ""
    )
    retries = []
    if step.invalid_outputs:
        retries.append(f"{step.invalid_outputs} invalid outputs re-asked")
    if step.transport_retries:
        retries.append(f"{step.transport_retries} transport retries")
    error = f'<div class="error">{esc(step.error)}</div>' if step.error else ""
    raw = (
        f'<details class="raw"><summary>Raw model output ({len(step.raw)} chars)</summary>'
        f"<pre>{esc(step.raw)}</pre></details>"
        if step.raw
        else ""
    )
    thought = f'<p class="thought">{esc(step.thought)}</p>' if step.thought else ""
    return (
        f'<article class="step {"ok" if step.ok else "fail"}" id="step-{step.index + 1}" '
        f'data-position="{position}">{_shot(step, shots)}<div class="info">'
        f"<h2>Step {step.index + 1} <small>{esc(fmt_s(step.seconds))}</small></h2>"
        f"{_badges(step)}{thought}{_actions(step)}{error}"
        f"{_texts('Feedback given to the model', step.feedback, 'feedback')}"
        f"{_texts('Notices', step.notices, 'notices')}"
        f'<p class="times">{esc(times)}{" · " + esc(tokens) if tokens else ""}'
        f"{' · ' + esc(', '.join(retries)) if retries else ''}</p>{raw}</div></article>"
    )


def _events(traj: Trajectory) -> str:
    t0 = traj.events[0].get("t", 0.0) if traj.events else 0.0
    rows = []
    for e in traj.events:
        if e.get("type") in _QUIET_EVENTS:
            continue
        data = {k: v for k, v in e.items() if k not in ("type", "t", "traceback")}
        detail: Any = "; ".join(f"{k}: {v}" for k, v in data.items())
        if e.get("traceback"):
            tb = esc(e["traceback"])
            detail = f"{esc(detail)}<details><summary>traceback</summary><pre>{tb}</pre></details>"
        else:
            detail = esc(detail)
        rows.append([esc(f"+{fmt_s(float(e.get('t', t0)) - t0)}"), esc(e.get("type")), detail])
    if traj.truncated_tail:
        rows.append(["", "truncated", "the last line of events.jsonl was cut off (the run was killed)"])
    if not rows:
        return ""
    return (
        f'<section class="events"><h2>Other events</h2>{table(["time", "event", "detail"], rows)}</section>'
    )


FAILED_ENDS = frozenset({"failure", "truncated", "timeout", "loop", "aborted", "error"})


def mark_run_end(steps: list[StepView], result: dict[str, Any] | None) -> list[StepView]:
    """The steps, the last one marked failed when the run ended without success."""
    status = (result or {}).get("status")
    if not steps or status not in FAILED_ENDS:
        return steps
    reason = (result or {}).get("reason") or ""
    last = steps[-1].model_copy(update={"run_failed": f"{status}: {reason}" if reason else str(status)})
    return [*steps[:-1], last]


def render_episode(
    run_dir: str | Path,
    *,
    max_width: int = DEFAULT_MAX_WIDTH,
    quality: int = DEFAULT_QUALITY,
    back_link: str | None = None,
    warnings: list[str] | None = None,
    media_base: str = "",
) -> str:
    """The self-contained HTML report of one run directory.

    A run killed mid-write still reports: lines, manifests and screenshots that cannot be
    read are left out and named in ``warnings``.

    Args:
        run_dir: A directory written by :class:`~agent.trajectory.recorder.TrajectoryRecorder`.
        max_width: Screenshots are downscaled to this width before embedding.
        quality: JPEG quality of embedded screenshots.
        back_link: URL of a page to link back to (a benchmark summary).
        warnings: Receives one sentence per part of the run that was left out.
        media_base: URL of the run directory as seen from the page, for its ``video.mp4``
            ("": the page is saved inside the run directory).
    """
    traj = load_run(run_dir)
    shots = ShotCache(traj.run_dir / "shots", max_width=max_width, quality=quality)
    steps = []
    for event in traj.steps:
        digest = event.get("screenshot")
        got = shots.get(digest) if isinstance(digest, str) and not event.get("geometry") else None
        steps.append(step_view(event, got[1] if got else None))
    steps = mark_run_end(steps, traj.result)
    task = traj.manifest.get("task") or "(unknown task)"
    back = f'<a class="back" href="{esc(back_link)}">◀ all episodes</a>' if back_link else ""
    timeline = "".join(_step(s, shots, i) for i, s in enumerate(steps)) or '<p class="empty">No steps.</p>'
    if warnings is not None:  # after the timeline, which decodes the screenshots
        warnings.extend(f"{traj.run_dir.name}: {p}" for p in traj.problems)
        warnings.extend(
            f"{traj.run_dir.name}: shots/{n} cannot be decoded; left out" for n in shots.unreadable
        )
    body = (
        f'<header>{back}<h1>{esc(task)}</h1><div class="headgrid"><div class="cards">{_cards(traj, steps)}'
        f"</div>{_meta(traj)}</div></header>{video_section(traj.run_dir, media_base)}"
        f'{_nav(steps)}<main class="timeline">{timeline}</main>{_events(traj)}'
    )
    return page("page.html", title=esc(f"screenpilot · {task}"), body=body)


def write_episode_report(run_dir: str | Path, out: str | Path | None = None, **kwargs: Any) -> Path:
    """Write :func:`render_episode` to ``out`` (default ``<run_dir>/report.html``)."""
    path = Path(out) if out is not None else Path(run_dir) / "report.html"
    if "media_base" not in kwargs:
        rel = Path(os.path.relpath(Path(run_dir).resolve(), path.parent.resolve())).as_posix()
        kwargs["media_base"] = "" if rel == "." else rel + "/"
    # errors="replace": a lone surrogate read back from a page title has no UTF-8 form
    path.write_text(render_episode(run_dir, **kwargs), encoding="utf-8", errors="replace")
    return path
