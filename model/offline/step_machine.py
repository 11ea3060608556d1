"""Carry out one step over several observations: one action per call, then verify.

A step is a small state machine: ``phase`` counts the actions already sent for it (click
the field, then type, then check the value). Each call looks at a fresh observation and
either returns the next action, says the step is done (the policy moves on without
acting), or says why it failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.grounder import OfflineGrounder
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    KeyPress,
    MouseButton,
    MouseMove,
    Navigate,
    Scroll,
    ScrollDirection,
    TypeText,
    Wait,
)
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import CoordSpace, Point

NOT_FOUND_RETRIES = 2
"""Short waits before a missing target counts as missing (pages still loading)."""
WAIT_POLL_S = 0.5


@dataclass
class StepState:
    """Progress through the current step."""

    phase: int = 0
    target: Candidate | None = None
    misses: int = 0
    waited_s: float = 0.0
    retries: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Emit:
    action: Action
    why: str


@dataclass(frozen=True)
class Done:
    why: str


@dataclass(frozen=True)
class Fail:
    why: str


Outcome = Emit | Done | Fail


class StepRunner:
    """Runs steps against observations using a grounder.

    Args:
        grounder: Finds targets.
        max_wait_s: How long ``wait until`` waits before failing.
        verify: Check typed text and checkbox states from elements when available.
    """

    def __init__(self, grounder: OfflineGrounder, *, max_wait_s: float = 10.0, verify: bool = True) -> None:
        self.grounder = grounder
        self.max_wait_s = max_wait_s
        self.verify = verify

    def advance(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        """The next thing to do for ``step`` on ``obs``."""
        handler = getattr(self, f"_{step.kind}")
        outcome: Outcome = handler(step, st, obs)
        return outcome

    # -- targets --------------------------------------------------------------------------

    def _find(self, step: Step, st: StepState, obs: Observation, role: str | None) -> Candidate | Outcome:
        assert step.target is not None
        found = self.grounder.find(obs, step.target, role=role)
        if found:
            st.misses = 0
            return found[0]
        if st.misses < NOT_FOUND_RETRIES:
            st.misses += 1
            return Emit(Wait(seconds=WAIT_POLL_S), f"{step.target!r} not visible yet; waiting")
        return Fail(
            f"nothing matches {step.target!r}"
            + (f" as a {role}" if role else "")
            + f"; {self.grounder.seen(obs)}"
        )

    @staticmethod
    def _element(obs: Observation, cand: Candidate | None) -> UIElement | None:
        if cand is None or cand.element_id is None:
            return None
        return next((e for e in obs.elements if e.id == cand.element_id), None)

    # -- clicks ---------------------------------------------------------------------------

    def _click_like(
        self, step: Step, st: StepState, obs: Observation, button: MouseButton, count: int
    ) -> Outcome:
        if st.phase > 0:
            return Done("clicked")
        got = self._find(step, st, obs, None)
        if not isinstance(got, Candidate):
            return got
        st.phase = 1
        return Emit(Click(at=got.box.center, button=button, count=count), got.why)

    def _click(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        return self._click_like(step, st, obs, MouseButton.LEFT, 1)

    def _double_click(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        return self._click_like(step, st, obs, MouseButton.LEFT, 2)

    def _right_click(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        return self._click_like(step, st, obs, MouseButton.RIGHT, 1)

    def _hover(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase > 0:
            return Done("pointer moved")
        got = self._find(step, st, obs, None)
        if not isinstance(got, Candidate):
            return got
        st.phase = 1
        return Emit(MouseMove(at=got.box.center), got.why)

    # -- text -----------------------------------------------------------------------------

    def _focus(self, step: Step, st: StepState, obs: Observation, role: str) -> Outcome | None:
        """Phase 0 of a text step: click the field (``None`` when there is no target)."""
        if step.target is None:
            st.phase = 1
            return None
        got = self._find(step, st, obs, role)
        if not isinstance(got, Candidate):
            return got
        st.phase, st.target = 1, got
        return Emit(Click(at=got.box.center), f"focus {got.why}")

    def _type(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        assert step.text is not None
        if st.phase == 0:
            focus = self._focus(step, st, obs, "textbox")
            if focus is not None:
                return focus
        if st.phase == 1:
            st.phase = 2
            return Emit(TypeText(text=step.text, clear_first=step.target is not None), f"type {step.text!r}")
        return self._check_value(step, st, obs, step.text)

    def _clear(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase == 0:
            focus = self._focus(step, st, obs, "textbox")
            if focus is not None:
                return focus
        if st.phase == 1:
            st.phase = 2
            return Emit(KeyPress(keys=("ctrl", "a")), "select all")
        if st.phase == 2:
            st.phase = 3
            return Emit(KeyPress(keys=("backspace",)), "delete")
        return self._check_value(step, st, obs, "")

    def _check_value(self, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
        el = self._element(obs, st.target)
        if not self.verify or el is None or el.value is None:
            return Done("typed (no element value to verify)")
        masked = el.attributes.get("type") == "password" or (el.value and set(el.value) <= {"•", "*", "●"})
        ok = len(el.value) == len(want) if masked else el.value == want
        if ok:
            return Done(f"{el.id} now holds the text")
        if st.retries < 1:
            st.retries += 1
            st.phase = 0
            return self._type(step, st, obs) if step.kind == "type" else self._clear(step, st, obs)
        return Fail(f"{el.id} holds {el.value!r} instead of {want!r}")

    # -- checkboxes and selects -----------------------------------------------------------

    def _check(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        return self._set_checked(step, st, obs, True)

    def _uncheck(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        return self._set_checked(step, st, obs, False)

    def _set_checked(self, step: Step, st: StepState, obs: Observation, want: bool) -> Outcome:
        word = "checked" if want else "unchecked"
        if st.phase == 0:
            got = self._find(step, st, obs, "checkbox")
            if not isinstance(got, Candidate):
                return got
            st.target = got
            el = self._element(obs, got)
            if el is not None and el.checked is want:
                return Done(f"{el.id} is already {word}")
            st.phase = 1
            return Emit(Click(at=got.box.center), got.why)
        el = self._element(obs, st.target)
        if not self.verify or el is None or el.checked is None or el.checked is want:
            return Done(f"{word}")
        if st.retries < 1 and st.target is not None:
            st.retries += 1
            return Emit(Click(at=st.target.box.center), f"still not {word}; clicking again")
        return Fail(f"{el.id} did not become {word}")

    def _select(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        assert step.text is not None
        if st.phase == 0:
            got = self._find(step, st, obs, "combobox")
            if not isinstance(got, Candidate):
                return got
            st.phase, st.target = 1, got
            return Emit(Click(at=got.box.center), f"open {got.why}")
        if st.phase == 1:
            st.phase = 2
            option = self._visible_option(obs, step.text, st.target)
            if option is not None:
                st.phase = 3
                return Emit(Click(at=option.box.center), f"pick {option.why}")
            # A native select's list is not in the screenshot: type-ahead picks the option.
            return Emit(TypeText(text=step.text), f"type-ahead {step.text!r}")
        if st.phase == 2:
            st.phase = 3
            return Emit(KeyPress(keys=("enter",)), "confirm the option")
        el = self._element(obs, st.target)
        if not self.verify or el is None or el.value is None:
            return Done("selected")
        if step.text.casefold() in (el.value or "").casefold() or step.text.casefold() in el.text.casefold():
            return Done(f"{el.id} shows {el.value!r}")
        return Fail(f"{el.id} shows {el.value!r} instead of {step.text!r}")

    def _visible_option(self, obs: Observation, text: str, box_of: Candidate | None) -> Candidate | None:
        for c in self.grounder.find(obs, f'"{text}"'):
            if box_of is None or (
                c.element_id != box_of.element_id and not box_of.box.contains(c.box.center)
            ):
                return c if c.score >= 0.9 else None
        return None

    # -- the rest -------------------------------------------------------------------------

    def _press(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase > 0:
            return Done("pressed")
        st.phase = 1
        return Emit(KeyPress(keys=step.keys), "press " + "+".join(step.keys))

    def _scroll(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase > 0:
            return Done("scrolled")
        at = _screen_centre(obs)
        why = "scroll the page"
        if step.target is not None:
            got = self._find(step, st, obs, None)
            if not isinstance(got, Candidate):
                return got
            at, why = got.box.center, f"scroll in {got.why}"
        st.phase = 1
        direction = ScrollDirection(step.direction or "down")
        return Emit(Scroll(direction=direction, amount=step.amount or 3.0, at=at), why)

    def _open(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase > 0:
            return Done("opened")
        st.phase = 1
        assert step.text is not None
        return Emit(Navigate(url=step.text), f"open {step.text}")

    def _wait(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        if st.phase > 0:
            return Done("waited")
        st.phase = 1
        return Emit(Wait(seconds=step.amount or 1.0), "wait")

    def _wait_text(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        assert step.text is not None
        found = self.grounder.find_text_anywhere(obs, step.text)
        if found is not None:
            return Done(f"{step.text!r} is shown ({found.why})")
        if st.waited_s >= self.max_wait_s:
            return Fail(
                f"{step.text!r} did not appear within {self.max_wait_s:g}s; {self.grounder.seen(obs)}"
            )
        st.waited_s += WAIT_POLL_S
        return Emit(Wait(seconds=WAIT_POLL_S), f"waiting for {step.text!r}")

    def _answer(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        assert step.text is not None
        return Emit(Answer(text=step.text), "answer")


def _screen_centre(obs: Observation) -> Point:
    g = obs.geometry
    return Point(
        x=g.offset_x + g.logical_size.width / 2,
        y=g.offset_y + g.logical_size.height / 2,
        space=CoordSpace.SCREEN,
    )
