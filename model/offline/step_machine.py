"""Carry out one step over several observations: one action per call, then verify.

A step is a small state machine: each call looks at a fresh observation and either
returns the next action (:class:`Emit`), says the step is done (:class:`Done`, with the
effect that was seen, or a note that the step has no visible effect by nature), or says
why it failed (:class:`Fail`). The skills live in their own modules
(``skill_pointer``, ``skill_text``, ``skill_widgets``, ``skill_drag``); this module holds the
state, the shared target search (with waiting and exploring) and the dispatch.
"""

from __future__ import annotations

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline import explore
from screenpilot.model.offline.effects import covered_by
from screenpilot.model.offline.grounder import OfflineGrounder
from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, Skill, StepState, acted
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Click, KeyPress, Wait
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.text_match import text_score
from screenpilot.tools.points import CoordSpace, Point

NOT_FOUND_RETRIES = 1
"""Short waits before a missing target counts as missing (pages still loading)."""
WAIT_POLL_S = 0.5
_CONTROL_TAGS = frozenset({"button", "a", "input", "select", "textarea", "label", "option"})
MAX_EXPLORE = 10
"""Exploration moves (scroll, open a tab, expand a section, next page) per step."""


class StepRunner:
    """Runs steps against observations using a grounder.

    Args:
        grounder: Finds targets.
        max_wait_s: How long ``wait until`` waits before failing.
        verify: Check each step's effect (values typed, boxes ticked, something changed).
    """

    def __init__(self, grounder: OfflineGrounder, *, max_wait_s: float = 10.0, verify: bool = True) -> None:
        self.grounder = grounder
        self.max_wait_s = max_wait_s
        self.verify = verify
        self.memory: dict[str, str] = {}

    def advance(self, step: Step, st: StepState, obs: Observation) -> Outcome:
        """The next thing to do for ``step`` on ``obs``."""
        from screenpilot.model.offline.skills import SKILLS  # the skills use this runner

        skill: Skill = SKILLS[step.kind]
        return skill(self, step, st, obs)

    # -- shared by the skills -------------------------------------------------------------

    def candidates(
        self,
        step: Step,
        obs: Observation,
        role: str | None,
        target: str | None = None,
        st: StepState | None = None,
    ) -> list[Candidate]:
        """Every match of the step's target (or ``target``) within its scope, best first.

        Once exploring opened the scope's record (an email opened from its row), the
        target is looked for on the whole screen.
        """
        query = target if target is not None else step.target
        if not query:
            return []
        scope = None if st is not None and st.data.get("unscoped") else step.scope
        offset = st.data.get("ordinal_offset", 0) if st is not None else 0
        return self.grounder.find(obs, query, role=role, scope=scope, offset=offset)

    def locate(
        self,
        step: Step,
        st: StepState,
        obs: Observation,
        role: str | None,
        target: str | None = None,
        *,
        patient: bool = True,
    ) -> Candidate | Outcome:
        """The step's target, or what to do while it is missing: wait, explore, or fail.

        ``patient=False`` explores at once (an option in a list that is already open).
        """
        found = [c for c in self.candidates(step, obs, role, target, st) if not acted(obs, c, st)]
        if found:
            st.misses = 0
            return found[0]
        if patient and st.misses < NOT_FOUND_RETRIES:
            st.misses += 1
            return Emit(Wait(seconds=WAIT_POLL_S), f"{target or step.target!r} not visible yet; waiting")
        covered = self._covered_match(step, obs, target)
        if covered is not None and not explore.clipped(obs, covered):
            uncover = self._uncover(st, obs, covered)
            if uncover is not None:
                return uncover
        if st.explored < MAX_EXPLORE:
            move = explore.next_move(self, step, st, obs, target=target)
            if move is not None:
                st.explored += 1  # the next look follows the move's settle wait
                return move
        return Fail(self.not_found(step, obs, role, target))

    def _uncover(self, st: StepState, obs: Observation, covered: UIElement) -> Candidate | Outcome | None:
        """Something lies over the target (a picker, a menu, a backdrop): press Escape, then
        click an empty spot (it closes when it loses the focus), then click the target anyway
        so that the environment's hit test says what the click landed on."""
        st.data["uncover"] = st.data.get("uncover", 0) + 1
        what = covers(covered)
        if st.data["uncover"] == 1:
            return Emit(KeyPress(keys=("escape",)), f"{what}; press Escape")
        blank = empty_spot(obs)
        if st.data["uncover"] == 2 and blank is not None:
            return Emit(Click(at=blank), f"{what}; click an empty spot")
        cover = covered_by(covered) or ""
        if cover.split(" ")[0].split("#")[0].split(".")[0] in _CONTROL_TAGS:
            return None  # the click would press a control of the cover: never
        role = element_role(covered)
        return Candidate(
            box=covered.box,
            score=1.0,
            source="element",
            text=covered.label,
            role=role,
            element_id=covered.id,
            why=f"{what}; still covered: clicking it lets the browser tell what the click lands on",
        )

    def _covered_match(self, step: Step, obs: Observation, target: str | None) -> UIElement | None:
        query = target or step.target or ""
        return next((e for e in obs.elements if covered_by(e) and self.grounder_matches(e, query)), None)

    def not_found(self, step: Step, obs: Observation, role: str | None, target: str | None = None) -> str:
        """Why a target is missing, with what was seen (and what covers a match)."""
        query = target or step.target
        covered = [e for e in obs.elements if covered_by(e) and self.grounder_matches(e, query or "")]
        where = f" in the record of {step.scope!r}" if step.scope else ""
        explored = " after looking around" if step.explore else ""
        if covered:
            return covers(covered[0])
        return (
            f"nothing matches {query!r}"
            + (f" as a {role}" if role else "")
            + where
            + explored
            + f"; {self.grounder.seen(obs)}"
        )

    def grounder_matches(self, el: UIElement, query: str) -> bool:
        """Whether ``el``'s own words are what ``query`` asks for."""
        text = parse_target(query).text
        return bool(text) and max(text_score(text, el.name), text_score(text, el.text)) >= 0.9

    @staticmethod
    def element(obs: Observation, cand: Candidate | None) -> UIElement | None:
        """The element a candidate came from, in ``obs`` (ids hold within one observation)."""
        if cand is None or cand.element_id is None:
            return None
        return next((e for e in obs.elements if e.id == cand.element_id), None)


def covers(el: UIElement) -> str:
    """``div#wall "…" covers link 'Report'``: what lies over a control, in the words the
    environment's hit test uses for a click that lands on a cover."""
    return f"{covered_by(el)} covers {element_role(el) or el.tag} {el.label.strip()[:40]!r}"


def empty_spot(obs: Observation) -> Point | None:
    """A point of the app's area that no element covers (clicking it does nothing but blur)."""
    g = obs.geometry
    boxes = [e.box for e in obs.elements if e.visible]
    w, h = g.logical_size.width, g.logical_size.height
    for fy in (0.97, 0.5, 0.03):
        for fx in (0.03, 0.97, 0.5):
            p = Point(x=g.offset_x + w * fx, y=g.offset_y + h * fy, space=CoordSpace.SCREEN)
            if not any(b.contains(p) for b in boxes):
                return p
    return None


__all__ = ["Done", "Emit", "Fail", "Outcome", "Skill", "StepRunner", "StepState"]
