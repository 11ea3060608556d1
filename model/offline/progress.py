"""The progress of one step and what a call returns: the next action, done, or failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from screenpilot.environments.effects import Effect
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.effects import Snapshot, changed
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Action
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner


@dataclass
class StepState:
    """Progress through the current step.

    ``effects`` are what the environment measured for the actions of the previous call
    (``None`` where it measures nothing); :func:`effect_seen` reads them with ``before``.
    """

    phase: int = 0
    target: Candidate | None = None
    element: UIElement | None = None
    before: Snapshot | None = None
    misses: int = 0
    waited_s: float = 0.0
    retries: int = 0
    explored: int = 0
    tried: list[str] = field(default_factory=list)
    done_boxes: list[Box] = field(default_factory=list)
    done_keys: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    effects: tuple[Effect, ...] | None = None


def effect_seen(
    st: StepState, obs: Observation, box: Box | None = None, *, pixels: bool = True
) -> str | None:
    """What the step's last actions changed since ``st.before`` (``None``: nothing, or no baseline)."""
    if st.before is None:
        return None
    return changed(st.before, obs, box, pixels=pixels, reported=st.effects)


def element_key(el: UIElement | None) -> str | None:
    """Who an element is across observations: its record, kind and words (boxes move on scroll)."""
    if el is None or not el.attributes.get("record"):
        return None
    kind = (el.attributes.get("class", "").split() or [el.tag])[0]
    return f"{el.attributes['record']}|{el.tag}|{kind}|{el.label[:40]}"


def mark_done(st: StepState, cand: Candidate, el: UIElement | None) -> None:
    """Remember that a step acting on every match has acted on this one."""
    st.done_boxes.append(cand.box)
    key = element_key(el)
    if key:
        st.done_keys.append(key)


def acted(obs: Observation, cand: Candidate, st: StepState) -> bool:
    """Whether a step acting on every match already acted on ``cand``."""
    from screenpilot.tools.perception.templates import iou

    el = next((e for e in obs.elements if e.id == cand.element_id), None) if cand.element_id else None
    key = element_key(el)
    if key is not None and st.done_keys:
        return key in st.done_keys
    return any(iou(cand.box, b) > 0.5 for b in st.done_boxes)


@dataclass(frozen=True)
class Emit:
    """The next action; ``repeat`` > 1 sends it that many times in one step (spinner arrows),
    and ``then`` follows it in the same step (a handle clicked, then Home pressed)."""

    action: Action
    why: str
    repeat: int = 1
    then: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Done:
    why: str


@dataclass(frozen=True)
class Fail:
    why: str


Outcome = Emit | Done | Fail
Skill = Callable[["StepRunner", Step, "StepState", Observation], "Outcome"]
