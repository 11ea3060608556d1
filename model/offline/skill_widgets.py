"""Value controls: sliders and spinners (act, read the shown value, repeat), native date and
time inputs (typed the way the input expects), pop-up calendars, colour fields, dropdowns
and lists (custom or native, single or multiple choice) and autocomplete suggestions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline import calendar, numbers
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.effects import _element_at, snapshot
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, StepState, effect_seen
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Action, Click, KeyPress, TypeText
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import CoordSpace, Point

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

CONTROL_ORDER = ("textbox", "combobox", "spinbutton", "date", "time", "slider", "listbox", "color")
MAX_NUDGES = 12


def _control(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Candidate | Outcome:
    """The control a ``set`` step names: by its kind when the words give one, else by its label."""
    from screenpilot.model.offline.hints import parse_target

    spec = parse_target(step.target or "")
    if spec.role is not None or not spec.text:
        return runner.locate(step, st, obs, spec.role or "textbox")
    best: Candidate | None = None
    for role in CONTROL_ORDER:
        for c in runner.candidates(step, obs, role):
            if c.role in CONTROL_ORDER and (best is None or c.score > best.score):
                best = c
            break
    return best if best is not None else runner.locate(step, st, obs, "textbox")


def set_value(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Put the step's value into its control, the way that control takes values."""
    from screenpilot.model.offline.skill_text import value_of

    want = value_of(runner, step, obs)
    if want is None:
        return Fail(f"could not read {step.value_ref!r} on the screen; {runner.grounder.seen(obs)}")
    if "kind" not in st.data:
        got = _control(runner, step, st, obs)
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        st.target, st.element = got, el
        st.data["kind"] = element_role(el) if el is not None else "textbox"
        if _asks_color(step) and st.data["kind"] == "textbox":
            st.data["kind"] = "color"  # a colour picker whose value is typed into its field
        st.data["widget"] = True
        st.phase = 0
    handler = _HANDLERS.get(st.data["kind"], _typed)
    return handler(runner, step, st, obs, want)


def _asks(step: Step, role: str) -> bool:
    """Whether the step's words name a kind of control ("the spinner", "the color picker")."""
    from screenpilot.model.offline.hints import parse_target

    return parse_target(step.target or "").role == role


def _asks_color(step: Step) -> bool:
    return _asks(step, "color")


def _now(obs: Observation, st: StepState) -> UIElement | None:
    return _element_at(obs, st.element, None) if st.element is not None else None


def _typed(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """A plain field (or a spinner that accepts typing): click, type, read back."""
    assert st.target is not None
    if st.phase == 0:
        st.phase = 1
        return Emit(Click(at=st.target.box.center), f"focus {st.target.why}")
    if st.phase == 1:
        st.phase = 2
        return Emit(TypeText(text=want, clear_first=True), f"type {want!r}")
    el = _now(obs, st)
    if el is None or el.value is None or el.value == want or not runner.verify:
        return Done(f"set to {want!r}")
    if st.data["kind"] == "spinbutton" or _asks(step, "spinbutton"):
        st.data["kind"] = "spinner"  # typing was refused: use its arrows
        st.phase = 0
        return _spinner(runner, step, st, obs, want)
    if _asks(step, "date") and st.data["kind"] != "date":
        st.data["kind"], st.phase = "date", 0  # typing was refused: the field takes a calendar pick
        return _date(runner, step, st, obs, want)
    if st.data["kind"] == "textbox" and _suggestions(obs, st):
        st.data["kind"] = "autocomplete"
        return _autocomplete(runner, step, st, obs, want)
    return Fail(f"{el.label[:30] or 'the field'!r} holds {el.value!r} instead of {want!r}")


def _spinner(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """Click the spinner's up or down arrow until its value is the wanted number."""
    el = _now(obs, st)
    target = numbers.parse_number(want)
    have = numbers.parse_number(el.value or "") if el is not None else None
    if target is None or have is None:
        return Fail(f"cannot read the spinner's value to reach {want!r}")
    if have == target:
        return Done(f"the spinner shows {el.value if el else want}")
    if st.retries >= 30:
        return Fail(f"the spinner stays at {have:g} instead of {want}")
    st.retries += 1
    arrow = _arrow(obs, st, up=target > have)
    if arrow is None:
        return Fail("the spinner has no up/down arrows to click")
    # all the clicks the value needs in one step (at most ten), then read the value again
    n = max(1, min(10, round(abs(target - have))))
    return Emit(
        Click(at=arrow), f"{n} x {'up' if target > have else 'down'} from {have:g} toward {want}", repeat=n
    )


def _arrow(obs: Observation, st: StepState, *, up: bool) -> Point | None:
    assert st.target is not None
    box = st.target.box
    words = (
        ("up", "increase", "increment", "plus", "+")
        if up
        else ("down", "decrease", "decrement", "minus", "-")
    )
    for el in app_elements(obs):
        hint = (el.attributes.get("class", "") + " " + el.label).lower()
        near = (
            abs(el.box.center.y - box.center.y) < box.height * 1.5
            and el.box.x0 >= box.x0 - 40
            and el.box.x1 <= box.x1 + 60
        )
        if (
            near
            and el.box != box
            and any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", hint) for w in words)
        ):
            return el.box.center
    if (
        st.element is not None and st.element.tag == "input"
    ):  # a native number input: its arrows sit at the right edge
        y = box.y0 + box.height * (0.3 if up else 0.75)
        return Point(x=box.x1 - 6, y=y, space=CoordSpace.SCREEN)
    return None


def _slider(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """Learn the range (the handle, Home, End), go near the value from the nearer end or by a
    click on the track, then nudge with the arrow keys while reading the value it shows."""
    assert st.target is not None
    target = numbers.parse_number(want)
    if target is None:
        return Fail(f"{want!r} is not a number a slider can take")
    if st.phase == 0:
        st.phase = 1
        numbers.remember_shown(obs, st)
        return Emit(
            Click(at=st.target.box.center),
            "focus the handle; go to the lowest value",
            then=(KeyPress(keys=("home",)),),
        )
    value = numbers.slider_value(obs, st)
    if value is None:
        return Fail("the slider's value is not shown anywhere to read")
    up, down = ("up", "down") if numbers.vertical(obs, st) else ("right", "left")
    if st.phase == 1:
        st.data["min"], st.phase = value, 2
        if "display" not in st.data:
            numbers.remember_shown(obs, st)  # already at its lowest: End will show which moves
        return Emit(KeyPress(keys=("end",)), f"lowest is {value:g}; go to the highest value")
    if st.phase == 2:
        st.data["max"], st.phase = value, 3
        lo = st.data["min"]
        if abs(value - target) <= 10:
            return _keys(down, value - target, f"highest is {value:g}", want)
        if abs(target - lo) <= 10:
            return Emit(
                KeyPress(keys=("home",)),
                f"from the lowest ({lo:g}) up to {want}",
                then=_presses(up, target - lo),
            )
        point = numbers.track_point(obs, st, target)
        if point is not None:
            return Emit(Click(at=point), f"highest is {value:g}; click the track near {want}")
    if value == target:
        return Done(f"the slider shows {value:g}")
    if st.retries >= MAX_NUDGES:
        return Fail(f"the slider stays at {value:g} instead of {want}")
    st.retries += 1
    point = numbers.corrected_point(obs, st, target, value)
    if point is not None and st.retries <= 3:
        return Emit(Click(at=point), f"at {value:g}: click the track nearer {want}")
    return _keys(up if target > value else down, abs(target - value), f"at {value:g}", want)


def _presses(key: str, n: float) -> tuple[Action, ...]:
    return (KeyPress(keys=(key,)),) * max(0, min(30, round(abs(n))))


def _keys(key: str, n: float, why: str, want: str) -> Outcome:
    count = max(1, min(30, round(abs(n))))
    if round(abs(n)) == 0:
        return Done(f"the slider shows {want}")
    return Emit(KeyPress(keys=(key,)), f"{why}: {count} x {key} toward {want}", repeat=count)


def _date(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """A native date input takes digits segment by segment; a text input with a calendar gets a pick."""
    assert st.target is not None
    el = st.element
    native = (
        el is not None
        and el.tag == "input"
        and el.attributes.get("type") in ("date", "datetime-local", "month", "week")
    )
    if not native:
        return calendar.pick_date(runner, step, st, obs, want)
    iso = calendar.iso_date(want)
    if iso is None:
        return Fail(f"{want!r} is not a date")
    if st.phase == 0:
        st.phase = 1
        left = Point(x=st.target.box.x0 + 12, y=st.target.box.center.y, space=CoordSpace.SCREEN)
        return Emit(Click(at=left), "click the date's first segment")
    if st.phase == 1:
        st.phase = 2
        y, m, d = iso.split("-")
        return Emit(TypeText(text=f"{m}{d}{y}"), f"type {m}/{d}/{y} segment by segment")
    now = _now(obs, st)
    if now is None or now.value == iso or not runner.verify:
        return Done(f"the date is {iso}")
    return Fail(f"the date input holds {now.value!r} instead of {iso}")


def _time(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """A native time input: hours, minutes and AM/PM typed segment by segment, read back as HH:MM."""
    assert st.target is not None
    parsed = calendar.parse_time(want)
    if parsed is None:
        return Fail(f"{want!r} is not a time")
    hh, mm = parsed
    if st.phase == 0:
        st.phase = 1
        left = Point(x=st.target.box.x0 + 10, y=st.target.box.center.y, space=CoordSpace.SCREEN)
        return Emit(Click(at=left), "click the time's first segment")
    if st.phase == 1:
        st.phase = 2
        h12 = hh % 12 or 12
        return Emit(
            TypeText(text=f"{h12:02d}{mm:02d}{'PM' if hh >= 12 else 'AM'}"),
            f"type {h12}:{mm:02d} {'PM' if hh >= 12 else 'AM'}",
        )
    now = _now(obs, st)
    wanted = f"{hh:02d}:{mm:02d}"
    if now is None or (now.value or "").startswith(wanted) or not runner.verify:
        return Done(f"the time is {wanted}")
    return Fail(f"the time input holds {now.value!r} instead of {wanted}")


def _color(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """A colour field whose value is typed: a name becomes its hex code."""
    hex_code = calendar.color_hex(want)
    return _typed(runner, step, st, obs, hex_code if hex_code else want)


def _suggestions(obs: Observation, st: StepState) -> list[UIElement]:
    assert st.target is not None
    box = st.target.box
    return [
        e for e in app_elements(obs)
        if element_role(e) in ("option", "menu", "clickable", "link") and e.box.y0 >= box.y1 - 2 and e.label
    ]  # fmt: skip


def _autocomplete(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """Pick the suggestion that matches what was typed."""
    for e in _suggestions(obs, st):
        if e.label.strip().casefold() == want.casefold() or e.label.strip().casefold().startswith(
            want.casefold()
        ):
            return Emit(Click(at=e.box.center), f"pick the suggestion {e.label!r}")
    return Fail(f"no suggestion matches {want!r}")


def select(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Choose an option in a dropdown or list: open it, click the option (ctrl+click to add), read back."""
    assert step.text is not None
    if st.phase == 0:
        got = runner.locate(step, st, obs, "combobox")
        if isinstance(got, Fail):
            got = _dressed_select(obs) or got
        if not isinstance(got, Candidate):
            return got
        st.target, st.element = got, runner.element(obs, got)
        st.before = snapshot(obs, st.element, got.box)
        option = _option(runner, obs, step.text, got)
        if option is not None:
            return _pick(st, option, step)
        st.phase = 1
        if st.element is not None and element_role(st.element) == "listbox":
            return select(runner, step, st, obs)  # a list box shows its options in place: no opening click
        return Emit(Click(at=got.box.center), f"open {got.why}")
    if st.phase == 1:
        option = _option(runner, obs, step.text, st.target)
        if option is None:
            found = runner.locate(step, st, obs, "option", target=f'"{step.text}"', patient=False)
            if isinstance(found, Candidate):
                return _pick(st, found, step)
            if isinstance(found, Emit):
                return found  # scrolling the open list toward the option
            st.phase = 3
            return Emit(TypeText(text=step.text), f"no {step.text!r} among the options shown; type-ahead")
        return _pick(st, option, step)
    if st.phase == 3:
        st.phase = 2
        return Emit(KeyPress(keys=("enter",)), "confirm the option")
    return _check_selected(runner, step, st, obs)


def _dressed_select(obs: Observation) -> Candidate | None:
    """A native list hidden under a custom-drawn dropdown: click where it is, on its dressing."""
    hidden = [
        e for e in obs.elements if not e.visible and e.tag == "select" and e.attributes.get("covered-by")
    ]
    if len(hidden) != 1:
        return None
    el = hidden[0]
    return Candidate(
        box=el.box,
        score=0.7,
        source="element",
        text=el.label,
        role="combobox",
        why=f"the dropdown drawn over a list ({el.attributes['covered-by']})",
    )


def _pick(st: StepState, option: Candidate, step: Step) -> Outcome:
    st.phase = 2
    multi = step.every and st.element is not None and element_role(st.element) == "listbox"
    return Emit(Click(at=option.box.center, modifiers=("ctrl",) if multi else ()), f"pick {option.why}")


def _option(runner: StepRunner, obs: Observation, text: str, box_of: Candidate | None) -> Candidate | None:
    for c in runner.grounder.find(obs, f'"{text}"', role="option"):
        if c.score < 0.9:
            return None
        if box_of is None or c.element_id != box_of.element_id:
            return c
    return None


def _check_selected(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    assert step.text is not None
    el = _now(obs, st)
    if el is None or not runner.verify:
        return Done("selected")
    shown = f"{el.value or ''} {el.text} {el.label}".casefold()
    if step.text.casefold() in shown or any(
        o.selected and step.text.casefold() == o.label.casefold() for o in obs.elements
    ):
        return Done(f"{step.text!r} is selected")
    effect = effect_seen(st, obs)
    if effect and el.value is None:
        return Done(effect)
    return Fail(f"{el.label[:30] or 'the list'!r} shows {el.value!r} instead of {step.text!r}")


_HANDLERS = {
    "textbox": _typed,
    "spinbutton": _typed,
    "spinner": _spinner,
    "slider": _slider,
    "date": _date,
    "time": _time,
    "color": _color,
    "autocomplete": _autocomplete,
}


def set_step(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """A ``set`` step: dropdowns and lists choose an option, other controls take the value."""
    if "kind" not in st.data and step.text is not None:
        got = _control(runner, step, st, obs)
        if isinstance(got, Candidate):
            el = runner.element(obs, got)
            if el is not None and element_role(el) in ("combobox", "listbox"):
                st.data["select"] = True
    if st.data.get("select"):
        return select(runner, step, st, obs)
    return set_value(runner, step, st, obs)
