"""Pointer skills: click (once, or on every match), hover, focus, expand, close, submit, tick, choose.

Each acts on a located target and then waits for the effect: a click counts as done when
something changed (see :mod:`~screenpilot.model.offline.effects`). A click with no visible
effect is tried once more, then the step fails saying what was clicked and that nothing
changed. Hovering has no visible effect by nature and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation
from screenpilot.model.offline import explore
from screenpilot.model.offline.effects import snapshot
from screenpilot.model.offline.progress import (
    Done,
    Emit,
    Fail,
    Outcome,
    StepState,
    acted,
    effect_seen,
    mark_done,
)
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Action, Click, MouseButton, MouseMove
from screenpilot.tools.perception.candidate import Candidate

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

SUBMIT_WORDS = (
    "submit", "ok", "send", "save", "search", "go", "done", "continue", "next", "confirm", "apply",
    "log in", "login", "sign in", "提交", "确定", "确认", "发送", "保存", "搜索", "完成", "下一步",
)  # fmt: skip
"""Captions of the button that submits a form, when the words do not name it."""


def pointer(
    runner: StepRunner,
    step: Step,
    st: StepState,
    obs: Observation,
    *,
    role: str | None = None,
    target: str | None = None,
    button: MouseButton = MouseButton.LEFT,
    count: int = 1,
) -> Outcome:
    """Locate, click, then see the effect (with one retry); ``every`` steps repeat per match."""
    if st.phase == 0:
        if step.every and st.done_boxes:
            left = [c for c in runner.candidates(step, obs, role, target, st) if not acted(obs, c, st)]
            if step.count is not None and len(st.done_boxes) >= step.count:
                return Done(f"clicked {len(st.done_boxes)} match(es)")
            if not left:
                more = explore.more_matches(runner, step, st, obs)
                return more if more is not None else Done(f"clicked {len(st.done_boxes)} match(es)")
            got: Candidate | Outcome = left[0]
        else:
            got = runner.locate(step, st, obs, role, target)
        if not isinstance(got, Candidate):
            return got
        return _act(runner, st, obs, got, Click(at=got.box.center, button=button, count=count))
    return verify(runner, step, st, obs)


def _act(runner: StepRunner, st: StepState, obs: Observation, got: Candidate, action: Action) -> Outcome:
    st.target, st.element = got, runner.element(obs, got)
    st.before = snapshot(obs, st.element, got.box)
    st.phase = 1
    st.data["action"] = action
    return Emit(action, got.why)


def verify(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Phase 1 of a pointer step: done when an effect is seen, else retry once, else fail."""
    assert st.target is not None
    effect = effect_seen(st, obs, st.target.box) if st.before is not None else "not checked"
    if effect or not runner.verify:
        if step.every:
            mark_done(st, st.target, st.element)
            st.phase, st.retries, st.misses = 0, 0, 0
            return pointer(runner, step, st, obs, role=st.data.get("role"))
        return Done(effect or "clicked")
    if st.retries < 1:
        st.retries += 1
        return Emit(
            st.data["action"], f"nothing changed after clicking {st.target.text or 'it'!r}; once more"
        )
    return Fail(f"clicked {_describe(st.target)} and nothing changed")


def _describe(c: Candidate) -> str:
    what = f"{c.role} " if c.role and c.role not in ("clickable", "text") else ""
    return f"{what}{c.text[:40]!r} ({c.why})"


def click(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    st.data.setdefault("role", None)
    return pointer(runner, step, st, obs)


def double_click(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    return pointer(runner, step, st, obs, count=2)


def right_click(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    return pointer(runner, step, st, obs, button=MouseButton.RIGHT)


def hover(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase > 0:
        effect = effect_seen(st, obs, st.target.box if st.target else None)
        return Done(effect or "pointer moved (hovering shows nothing by itself)")
    got = runner.locate(step, st, obs, None)
    if not isinstance(got, Candidate):
        return got
    return _act(runner, st, obs, got, MouseMove(at=got.box.center))


def focus(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase == 0:
        got = runner.locate(step, st, obs, "textbox")
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        if el is not None and el.attributes.get("focused") == "true":
            return Done(f"{got.text or 'the field'!r} already has the focus")
        return _act(runner, st, obs, got, Click(at=got.box.center))
    return verify(runner, step, st, obs)


_EXPAND_GLYPHS = frozenset(
    {"+", "☰", "≡", "⋮", "⋯", "…", "...", "▸", "▾", "▼", "►", "⊕", "more", "menu", "展开", "更多"}
)


def _glyph(runner: StepRunner, obs: Observation) -> Candidate | None:
    """The one control drawn as an expand glyph (+, ☰, …), when a page has exactly one."""
    found = [
        e
        for e in obs.elements
        if e.visible
        and e.label.strip().lower() in _EXPAND_GLYPHS
        and element_role(e) not in ("text", "group")
    ]
    if len(found) != 1:
        return None
    el = found[0]
    return Candidate(
        box=el.box,
        score=0.7,
        source="element",
        text=el.label,
        element_id=el.id,
        why=f"the expand control {el.label!r}",
    )


def expand(runner: StepRunner, step: Step, st: StepState, obs: Observation, *, open_: bool = True) -> Outcome:
    if st.phase == 0:
        got = runner.locate(step, st, obs, None)
        if isinstance(got, Fail) and open_:
            got = _glyph(runner, obs) or got
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        state = el.attributes.get("aria-expanded") if el is not None else None
        if state == ("true" if open_ else "false"):
            return Done(f"{got.text[:30]!r} is already {'expanded' if open_ else 'collapsed'}")
        return _act(runner, st, obs, got, Click(at=got.box.center))
    return verify(runner, step, st, obs)


def collapse(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    return expand(runner, step, st, obs, open_=False)


def close(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Close a dialog, popup or banner: its close control (x, Close, ×), then see it go."""
    if st.phase == 0:
        container = runner.candidates(step, obs, "dialog") if step.target else []
        holder = container[0] if container else None
        found = runner.grounder.find(obs, '"x"')
        if holder is not None:
            found = [c for c in found if holder.box.contains(c.box.center)]
        if not found and step.target:
            return Fail(f"no close control (x, Close) found for {step.target!r}; {runner.grounder.seen(obs)}")
        if not found:
            got = runner.locate(step, st, obs, None, target='"x"')
            if not isinstance(got, Candidate):
                return got
            found = [got]
        return _act(runner, st, obs, found[0], Click(at=found[0].box.center))
    return verify(runner, step, st, obs)


def submit(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Press the form's submit button: one captioned like a submit, or an input of type submit."""
    if st.phase == 0:
        for word in SUBMIT_WORDS:
            found = [c for c in runner.grounder.find(obs, f'"{word}"', role="button") if c.score >= 0.85]
            if found:
                return _act(runner, st, obs, found[0], Click(at=found[0].box.center))
        typed = [e for e in obs.elements if e.visible and e.attributes.get("type") == "submit"]
        if typed:
            c = Candidate(
                box=typed[0].box,
                score=0.9,
                source="element",
                text=typed[0].label,
                element_id=typed[0].id,
                why="submit input",
            )
            return _act(runner, st, obs, c, Click(at=c.box.center))
        return Fail(f"no submit button found; {runner.grounder.seen(obs)}")
    return verify(runner, step, st, obs)


def set_checked(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: bool) -> Outcome:
    """Tick or untick a checkbox (a radio button is clicked); nothing to do when it already is."""
    word = "checked" if want else "unchecked"
    if st.phase == 0:
        got = runner.locate(step, st, obs, "checkbox")
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        if el is not None and el.checked is want:
            if not step.every:
                return Done(f"{got.text[:30] or el.id!r} is already {word}")
            mark_done(st, got, runner.element(obs, got))
            return set_checked(runner, step, st, obs, want)
        return _act(runner, st, obs, got, Click(at=got.box.center))
    now = _state_now(runner, st, obs)
    name = repr(st.target.text[:30]) if st.target and st.target.text else "the box"
    if now is want:
        return Done(f"{name} is {word}")
    if now is None:  # no element state to read (pixels only): any visible effect counts
        return verify(runner, step, st, obs)
    if st.retries < 1 and st.target is not None:
        st.retries += 1
        return Emit(Click(at=st.target.box.center), f"still not {word}; clicking again")
    return Fail(f"{name} did not become {word}")


def _state_now(runner: StepRunner, st: StepState, obs: Observation) -> bool | None:
    """The checked state of the acted-on box in ``obs`` (found again by place and kind)."""
    from screenpilot.model.offline.effects import _element_at

    if st.element is None:
        return None
    now = _element_at(obs, st.element, None)
    return now.checked if now is not None else None


def check(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    return set_checked(runner, step, st, obs, True)


def uncheck(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    return set_checked(runner, step, st, obs, False)


def choose(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Pick an item by its words: tick its checkbox, click its radio button, option, tab or link."""
    kind = st.data.get("as")
    if kind is None:
        kind = _kind_of_choice(runner, step, obs)
        if kind is None:
            got = runner.locate(step, st, obs, None)
            return got if not isinstance(got, Candidate) else _choose_found(runner, step, st, obs, got)
        st.data["as"] = kind
    if kind == "checkbox":
        return set_checked(runner, step, st, obs, True)
    return pointer(runner, step, st, obs, role=None if kind == "click" else kind)


def _kind_of_choice(runner: StepRunner, step: Step, obs: Observation) -> str | None:
    for role in ("checkbox", "radio", "option", "tab"):
        found = runner.candidates(step, obs, role)
        if (
            found
            and found[0].score >= 0.85
            and found[0].role in (role, "checkbox" if role == "checkbox" else role)
        ):
            return role
    return None


def _choose_found(runner: StepRunner, step: Step, st: StepState, obs: Observation, got: Candidate) -> Outcome:
    el = runner.element(obs, got)
    role = element_role(el) if el is not None else ""
    st.data["as"] = "checkbox" if role == "checkbox" else "click"
    if role == "checkbox":
        return set_checked(runner, step, st, obs, True)
    return _act(runner, st, obs, got, Click(at=got.box.center))


def find(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Bring the target into view (exploring if needed) or read the value it names."""
    if step.value_ref is not None:
        from screenpilot.model.offline.reading import read_value

        value = read_value(runner, step.value_ref, obs)
        if value is None:
            return Fail(f"could not read {step.value_ref!r} on the screen; {runner.grounder.seen(obs)}")
        runner.memory["it"] = value
        return Done(f"read {value!r}")
    got = runner.locate(step, st, obs, None)
    if not isinstance(got, Candidate):
        return got
    return Done(f"{got.text[:40]!r} is on the screen ({got.why}; nothing to do)")
