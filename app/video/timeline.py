"""When each step of a run was on screen, in seconds from the start of the run.

A step's screenshot was taken before the policy was asked; its event is written after the
actions ran. The screenshot's time is therefore the event's time minus the time the step
spent deciding and acting. Step ``i`` is shown until step ``i + 1``'s screenshot was taken;
the last one until the run finished.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.agent.trajectory.reader import Trajectory

SIDE_CAR = "video.json"
_AFTER_SCREENSHOT = ("locate_s", "predict_s", "act_s", "settle_s")


class Segment(BaseModel):
    """One step on the timeline.

    Attributes:
        step: The step's index (0-based, as in ``events.jsonl``).
        start_s: When its screenshot was taken, seconds from the run's start.
        end_s: When the next step's screenshot was taken (or the run ended).
    """

    model_config = ConfigDict(frozen=True)

    step: int
    start_s: float
    end_s: float


class Timeline(BaseModel):
    """A run's steps on a time axis that starts at the run's start (``epoch``).

    Attributes:
        epoch: Wall-clock time (``time.time()``) of second 0.
        duration_s: From the start to the run's end.
        segments: The steps, in order, non-overlapping.
    """

    model_config = ConfigDict(frozen=True)

    epoch: float
    duration_s: float
    segments: tuple[Segment, ...]

    def step_at(self, t: float) -> int | None:
        """The step on screen at ``t`` seconds (``None`` before the first step)."""
        found = None
        for seg in self.segments:
            if seg.start_s <= t:
                found = seg.step
            else:
                break
        return found

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.model_dump(mode="json"), indent=1), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Timeline:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def _first_t(traj: Trajectory) -> float:
    for e in traj.events:
        if "t" in e:
            return float(e["t"])
    return float(traj.manifest.get("created") or 0.0)


def _last_t(traj: Trajectory) -> float:
    for e in reversed(traj.events):
        if "t" in e:
            return float(e["t"])
    return _first_t(traj)


def shot_time(event: dict[str, Any]) -> float:
    """Wall-clock time of a step event's screenshot."""
    times = event.get("times") or {}
    spent = sum(float(times.get(k) or 0.0) for k in _AFTER_SCREENSHOT)
    return float(event.get("t") or 0.0) - spent


def build_timeline(traj: Trajectory, *, min_step_s: float = 0.0) -> Timeline:
    """The timeline of a recorded run (complete or cut short).

    Args:
        traj: The run.
        min_step_s: Show every step at least this long; later steps move back by the
            time added (``0``: the real timing).
    """
    epoch = _first_t(traj)
    starts: list[tuple[int, float]] = []
    last, added = -1.0, 0.0
    for event in traj.steps:
        real = shot_time(event) - epoch + added
        if starts and real - last < min_step_s:
            added += min_step_s - (real - last)
            real = last + min_step_s
        # strictly increasing, a millisecond apart at least, even with clock jitter
        t = max(real, last + 0.001, 0.0)
        starts.append((int(event.get("index", len(starts))), t))
        last = t
    end = max(_last_t(traj) - epoch + added, last + max(0.5, min_step_s))
    segments = tuple(
        Segment(step=i, start_s=round(s, 3), end_s=round(starts[k + 1][1] if k + 1 < len(starts) else end, 3))
        for k, (i, s) in enumerate(starts)
    )
    return Timeline(epoch=epoch, duration_s=round(end, 3), segments=segments)
