"""Drag and drop: an item onto another, a distance in a direction, or to the Nth place of a list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation
from screenpilot.model.offline import spatial
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.effects import snapshot
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, StepState, effect_seen
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Drag
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box, CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner


def drag(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Press on the item, move to the destination in small steps, release; then see it moved."""
    if st.phase == 0:
        got = runner.locate(step, st, obs, None)
        if not isinstance(got, Candidate):
            return got
        end = _destination(runner, step, st, obs, got)
        if not isinstance(end, Point):
            return end
        st.target, st.phase = got, 1
        st.before = snapshot(obs, runner.element(obs, got), got.box)
        start = got.box.center
        middle = Point(x=(start.x + end.x) / 2, y=(start.y + end.y) / 2, space=CoordSpace.SCREEN)
        return Emit(
            Drag(path=(start, middle, end), hold_seconds=0.1), f"drag {got.why} to ({end.x:.0f}, {end.y:.0f})"
        )
    effect = effect_seen(st, obs)
    if effect or not runner.verify:
        return Done(effect or "dragged")
    return Fail(f"dragged {st.target.text if st.target else 'the item'!r} and nothing moved")


def _destination(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, got: Candidate
) -> Point | Outcome:
    box = got.box
    if step.dest and step.dest.isdigit():
        return _position(obs, got, int(step.dest))
    if step.dest:
        dest = runner.locate(step, st, obs, None, target=step.dest)
        return dest.box.center if isinstance(dest, Candidate) else dest
    if step.direction:
        n = step.amount or 1.0
        dx = {"left": -1, "right": 1}.get(step.direction, 0) * box.width * n
        dy = {"up": -1, "down": 1}.get(step.direction, 0) * box.height * n * 1.1
        if step.amount is None:  # "drag the circle left": a clear move, not one item
            dx, dy = dx * 2, dy * 2
        return _inside(obs, box.center.x + dx, box.center.y + dy)
    return Fail(f"no destination for dragging {step.target!r}")


def _inside(obs: Observation, x: float, y: float) -> Point:
    """A point kept a few pixels inside the screen (a drag that leaves it is refused)."""
    g = obs.geometry
    x = min(max(x, g.offset_x + 2), g.offset_x + g.logical_size.width - 2)
    y = min(max(y, g.offset_y + 2), g.offset_y + g.logical_size.height - 2)
    return Point(x=x, y=y, space=CoordSpace.SCREEN)


def _position(obs: Observation, got: Candidate, n: int) -> Point | Outcome:
    """The place of the ``n``-th item of the list the dragged item belongs to."""
    box = got.box
    peers = sorted(
        (e.box for e in app_elements(obs) if _peer(e.box, box) and e.attributes.get("sp-kind") != "record"),
        key=spatial.reading_key,
    )
    rows: list[Box] = []
    for b in peers:
        if not any(abs(b.center.y - r.center.y) < 3 and abs(b.center.x - r.center.x) < 3 for r in rows):
            rows.append(b)
    if not 1 <= n <= len(rows):
        return Fail(f"the list has {len(rows)} items; there is no position {n}")
    slot = rows[n - 1]
    here = next((i for i, r in enumerate(rows) if abs(r.center.y - box.center.y) < 3), None)
    lift = -slot.height * 0.3 if here is None or n - 1 < here else slot.height * 0.3
    return Point(x=slot.center.x, y=slot.center.y + lift, space=CoordSpace.SCREEN)


def _peer(b: Box, box: Box) -> bool:
    return abs(b.width - box.width) < 4 and abs(b.height - box.height) < 4 and abs(b.x0 - box.x0) < 4
