"""Steps without a target to click: open a URL, scroll, wait, answer, and words no frame placed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.effects import snapshot
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, StepState, effect_seen
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Answer, Click, Navigate, Scroll, ScrollDirection, Wait
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.text_match import text_score
from screenpilot.tools.points import CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

WAIT_POLL_S = 0.5
_STOP = frozenset(
    {"a", "an", "the", "to", "of", "in", "on", "at", "for", "by", "with", "and", "or", "then", "please", "it",
     "its", "this", "that", "these", "those", "is", "are", "be", "as", "from", "into", "onto", "your", "you",
     "my", "me", "i", "we", "our", "all", "any", "some", "one", "each", "every"}
)  # fmt: skip


def open_url(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase > 0:
        if obs.url and step.text and obs.url.rstrip("/") != (st.data.get("from") or "").rstrip("/"):
            return Done(f"opened {obs.url}")
        return (
            Done(f"opened {step.text}")
            if not runner.verify
            else Fail(f"{step.text} did not load (still at {obs.url})")
        )
    st.phase = 1
    st.data["from"] = obs.url or ""
    assert step.text is not None
    return Emit(Navigate(url=step.text), f"open {step.text}")


def scroll(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase > 0:
        effect = effect_seen(st, obs, st.target.box if st.target else None)
        return Done(effect or "scrolled (already at the end: nothing moved)")
    g = obs.geometry
    at = Point(
        x=g.offset_x + g.logical_size.width / 2,
        y=g.offset_y + g.logical_size.height / 2,
        space=CoordSpace.SCREEN,
    )
    why = "scroll the page"
    if step.target is not None:
        got = runner.locate(step, st, obs, None)
        if not isinstance(got, Candidate):
            return got
        st.target, st.element = got, runner.element(obs, got)
        at, why = got.box.center, f"scroll in {got.why}"
    st.phase = 1
    st.before = snapshot(obs, st.element, st.target.box if st.target else None)
    return Emit(
        Scroll(direction=ScrollDirection(step.direction or "down"), amount=step.amount or 3.0, at=at), why
    )


def wait(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase > 0:
        return Done(f"waited {step.amount or 1.0:g}s (waiting shows nothing by itself)")
    st.phase = 1
    return Emit(Wait(seconds=step.amount or 1.0), "wait")


def wait_text(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    assert step.text is not None
    found = runner.grounder.find_text_anywhere(obs, step.text)
    if found is not None:
        return Done(f"{step.text!r} is shown ({found.why})")
    if st.waited_s >= runner.max_wait_s:
        return Fail(
            f"{step.text!r} did not appear within {runner.max_wait_s:g}s; {runner.grounder.seen(obs)}"
        )
    st.waited_s += WAIT_POLL_S
    return Emit(Wait(seconds=WAIT_POLL_S), f"waiting for {step.text!r}")


def answer(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    assert step.text is not None
    return Emit(Answer(text=step.text), "answer")


def unknown(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Words no frame placed: click the one control whose words they name, or fail naming them."""
    words = [w for w in re.findall(r"[\w'-]+", step.text or "") if w.lower() not in _STOP]
    if st.phase > 0:
        effect = effect_seen(st, obs, st.target.box if st.target else None)
        if effect:
            return Done(f"{effect} (the words were matched to the screen)")
        return Fail(f"clicked {st.target.text if st.target else ''!r} for {step.text!r} and nothing changed")
    best: tuple[float, Candidate] | None = None
    for el in app_elements(obs):
        if element_role(el) in ("group", "text") or not el.label:
            continue
        score = max((text_score(w, el.label) for w in words), default=0.0)
        phrase = text_score(" ".join(words), el.label)
        score = max(score * 0.9, phrase)
        if score >= 0.94 and (best is None or score > best[0]):
            best = (
                score,
                Candidate(
                    box=el.box,
                    score=score,
                    source="element",
                    text=el.label,
                    element_id=el.id,
                    why=f"{element_role(el)} {el.label!r}",
                ),
            )
    if best is None:
        shown = ", ".join(words[:8])
        return Fail(
            f"could not understand {step.text!r}: no frame reads it and none of its words ({shown}) "
            "names a control on the screen"
        )
    st.target, st.phase = best[1], 1
    st.before = snapshot(obs, runner.element(obs, best[1]), best[1].box)
    return Emit(Click(at=best[1].box.center), f"the words of {step.text!r} name {best[1].why}")
