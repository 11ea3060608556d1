"""Text skills: type (literal, secret or a value read off the page), clear, keys, copy, paste, select text.

Typing clicks the field, types, then reads the field's value back: the step is done when
the text is there (a password field: when its length is right; a secret: when the field
changed). Date, time, slider and other value controls are handed to ``skill_widgets``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.effects import _element_at, snapshot
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, StepState, effect_seen
from screenpilot.model.offline.reading import read_value
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.model.offline.values import apply_transform
from screenpilot.tools.actions import Click, KeyPress, TypeText, Wait
from screenpilot.tools.perception.candidate import Candidate

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

WIDGET_ROLES = frozenset({"date", "time", "slider", "spinbutton", "color", "combobox", "listbox"})
_MASKS = frozenset("•*●")


def value_of(runner: StepRunner, step: Step, obs: Observation) -> str | None:
    """The literal the step types: its text, the value read before ("it"), or one read now."""
    if step.value_ref is None:
        text = step.text
    elif step.value_ref == "$it":
        text = runner.memory.get("it")
    else:
        text = read_value(runner, step.value_ref, obs)
    return apply_transform(text, step.transform) if text is not None else None


def _field(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Candidate | Outcome:
    """The field to type into: the target, or with none the focused field or the first empty one.

    A named field that is not on the screen ("the message box") is, when the screen has
    one field that is focused or empty, that field.
    """
    if step.target:
        got = runner.locate(step, st, obs, "textbox")
        if not isinstance(got, Fail):
            return got
        only = _sole_field(obs)
        return only if only is not None else got
    fields = [e for e in obs.elements if e.visible and e.editable]
    focused = [e for e in fields if e.attributes.get("focused") == "true"]
    empty = [e for e in fields if not e.value]
    pool = focused or empty or fields
    if not pool:
        return Done("no field to click first")  # type at the keyboard focus
    chosen = pool[0]
    return Candidate(
        box=chosen.box,
        score=0.8,
        source="element",
        text=chosen.label,
        role="textbox",
        element_id=chosen.id,
        why=f"field {chosen.id}",
    )


def _sole_field(obs: Observation) -> Candidate | None:
    fields = [e for e in obs.elements if e.visible and e.editable]
    focused = [e for e in fields if e.attributes.get("focused") == "true"]
    empty = [e for e in fields if not e.value]
    pick = focused if len(focused) == 1 else empty if len(empty) == 1 else fields if len(fields) == 1 else []
    if not pick:
        return None
    el = pick[0]
    why = f"the only {'focused' if pick is focused else 'empty' if pick is empty else ''} field {el.id}"
    return Candidate(
        box=el.box, score=0.7, source="element", text=el.label, role="textbox", element_id=el.id, why=why
    )


def type_(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Click the field, type, check the value (retrying once)."""
    if st.phase == 0:
        got = _field(runner, step, st, obs)
        if isinstance(got, Done):
            st.phase = 1
        elif not isinstance(got, Candidate):
            return got
        else:
            el = runner.element(obs, got)
            if el is not None and element_role(el) in WIDGET_ROLES and step.secret is None:
                from screenpilot.model.offline import skill_widgets

                st.data["widget"] = True
                return skill_widgets.set_value(runner, step, st, obs)
            st.target, st.element, st.phase = got, el, 1
            st.before = snapshot(obs, el, got.box)
            return Emit(Click(at=got.box.center), f"focus {got.why}")
    if st.data.get("widget"):
        from screenpilot.model.offline import skill_widgets

        return skill_widgets.set_value(runner, step, st, obs)
    if st.phase == 1:
        st.phase = 2
        if step.secret is not None:
            return Emit(
                TypeText(secret=step.secret, clear_first=step.target is not None),
                f"type secret {step.secret}",
            )
        text = value_of(runner, step, obs)
        if text is None:
            return Fail(f"could not read {step.value_ref!r} on the screen; {runner.grounder.seen(obs)}")
        st.data["want"] = text
        return Emit(
            TypeText(text=text, clear_first=step.target is not None or bool(st.element)), f"type {text!r}"
        )
    return _check_typed(runner, step, st, obs)


def _check_typed(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    el = _element_at(obs, st.element, None) if st.element is not None else None
    if step.ends is not None or st.data.get("suggested"):
        return _suggestion(runner, step, st, obs, el)
    if not runner.verify or el is None or el.value is None:
        return _next(runner, step, st, obs, "typed (the field's value cannot be read here)")
    if step.secret is not None:
        ok = bool(el.value) and (st.element is None or el.value != st.element.value or not st.element.value)
        return (
            _next(runner, step, st, obs, f"the secret {step.secret} is in the field")
            if ok
            else _retry(runner, step, st, obs, "the field stayed empty")
        )
    want = st.data.get("want", "")
    masked = el.attributes.get("type") == "password" or (el.value and set(el.value) <= _MASKS)
    ok = len(el.value) == len(want) if masked else el.value == want
    if ok:
        return _next(runner, step, st, obs, f"{el.label[:30] or 'the field'!r} now holds the text")
    return _retry(
        runner, step, st, obs, f"{el.label[:30] or 'the field'!r} holds {el.value!r} instead of {want!r}"
    )


def _suggestion(
    runner: StepRunner, step: Step, st: StepState, obs: Observation, el: UIElement | None
) -> Outcome:
    """Autocomplete: pick the suggestion that starts (and ends) as asked, then read the field."""
    start, end = (step.text or "").casefold(), (step.ends or "").casefold()
    if st.data.get("suggested"):
        value = (el.value or "") if el is not None else ""
        if value.casefold().startswith(start) and value.casefold().endswith(end):
            return Done(f"the field holds {value!r}")
        return Fail(
            f"the field holds {value!r}, which does not start with {step.text!r} and end with {step.ends!r}"
        )
    field = st.target.box if st.target is not None else None
    items = sorted(
        (e for e in obs.elements
         if element_role(e) in ("option", "clickable", "menu", "link") and e.label.strip()
         and (field is None or e.box.y0 >= field.y1 - 2) and e.tag != "ul"),
        key=lambda e: e.box.y0,
    )  # fmt: skip
    for i, e in enumerate(items):
        label = e.label.strip().casefold()
        if label.startswith(start) and label.endswith(end) and label != start:
            st.data["suggested"] = True
            if e.visible:
                return Emit(Click(at=e.box.center), f"pick the suggestion {e.label.strip()!r}")
            # below the fold: the keyboard walks the list as well as the pointer does
            return Emit(
                KeyPress(keys=("down",)),
                f"pick the suggestion {e.label.strip()!r} with the arrow keys",
                repeat=i + 1,
                then=(KeyPress(keys=("enter",)),),
            )
    if st.waited_s < 2.0:
        st.waited_s += 0.5
        return Emit(Wait(seconds=0.5), "waiting for suggestions")
    return Fail(
        f"no suggestion starts with {step.text!r}" + (f" and ends with {step.ends!r}" if step.ends else "")
    )


def _retry(runner: StepRunner, step: Step, st: StepState, obs: Observation, why: str) -> Outcome:
    if st.retries < 1:
        st.retries += 1
        st.phase = 0
        return type_(runner, step, st, obs)
    return Fail(why)


def _next(runner: StepRunner, step: Step, st: StepState, obs: Observation, why: str) -> Outcome:
    """Done, or on to the next field for ``every`` steps ("into both fields")."""
    if not step.every or st.target is None:
        return Done(why)
    st.done_boxes.append(st.target.box)
    st.phase, st.retries, st.misses, st.element = 0, 0, 0, None
    left = [c for c in runner.candidates(step, obs, "textbox") if not any(_same(c, b) for b in st.done_boxes)]
    if not left:
        return Done(f"typed into {len(st.done_boxes)} field(s)")
    return type_(runner, step, st, obs)


def _same(c: Candidate, box: object) -> bool:
    from screenpilot.tools.perception.templates import iou

    return iou(c.box, box) > 0.5  # type: ignore[arg-type]


def clear(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Click the field, select everything, delete; check it is empty."""
    if st.phase == 0:
        got = runner.locate(step, st, obs, "textbox") if step.target else None
        st.phase = 1
        if isinstance(got, Candidate):
            st.target, st.element = got, runner.element(obs, got)
            return Emit(Click(at=got.box.center), f"focus {got.why}")
        if got is not None:
            st.phase = 0
            return got
    if st.phase == 1:
        st.phase = 2
        return Emit(KeyPress(keys=("ctrl", "a")), "select all")
    if st.phase == 2:
        st.phase = 3
        return Emit(KeyPress(keys=("backspace",)), "delete")
    el = _element_at(obs, st.element, None) if st.element is not None else None
    if el is None or el.value is None or el.value == "" or not runner.verify:
        return Done("cleared")
    return Fail(f"{el.label[:30] or 'the field'!r} still holds {el.value!r}")


def press(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    if st.phase > 0:
        effect = effect_seen(st, obs)
        return Done(effect or "pressed (keys show no effect of their own here)")
    st.phase = 1
    st.before = snapshot(obs)
    return Emit(KeyPress(keys=step.keys), "press " + "+".join(step.keys))


def copy(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Select the source's text and copy it; the text is remembered for ``paste``."""
    if st.phase == 0:
        got = runner.locate(step, st, obs, None)
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        st.target, st.element, st.phase = got, el, 1
        text = el.value if el is not None and el.value else (el.text if el is not None else got.text)
        runner.memory["clipboard"] = runner.memory["it"] = text
        if el is not None and el.editable:
            return Emit(Click(at=got.box.center), f"focus {got.why}")
        st.phase = 2
        return Emit(Click(at=got.box.center, count=3), f"select the text of {got.why}")
    if st.phase == 1:
        st.phase = 2
        return Emit(KeyPress(keys=("ctrl", "a")), "select all of it")
    if st.phase == 2:
        st.phase = 3
        return Emit(KeyPress(keys=("ctrl", "c")), "copy")
    return Done(f"copied {len(runner.memory.get('clipboard', ''))} characters")


def paste(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Click the field and paste; if the clipboard did not reach it, type the copied text."""
    want = runner.memory.get("clipboard")
    if st.phase == 0:
        got = _field(runner, step, st, obs)
        if isinstance(got, Done):
            st.phase = 1
        elif not isinstance(got, Candidate):
            return got
        else:
            st.target, st.element, st.phase = got, runner.element(obs, got), 1
            return Emit(Click(at=got.box.center), f"focus {got.why}")
    if st.phase == 1:
        st.phase = 2
        return Emit(KeyPress(keys=("ctrl", "v")), "paste")
    el = _element_at(obs, st.element, None) if st.element is not None else None
    if el is None or el.value is None or want is None or el.value == want or not runner.verify:
        return Done("pasted")
    if st.phase == 2:
        st.phase = 3
        return Emit(
            TypeText(text=want, clear_first=True),
            "the clipboard did not reach the field; typing the copied text",
        )
    return Fail(f"the field holds {el.value!r} instead of the copied text")


def highlight(runner: StepRunner, step: Step, st: StepState, obs: Observation) -> Outcome:
    """Select a block's text: a triple click selects its whole paragraph."""
    if st.phase == 0:
        got = runner.locate(step, st, obs, "paragraph")
        if not isinstance(got, Candidate):
            return got
        el = runner.element(obs, got)
        st.target, st.element, st.phase = got, el, 1
        st.before = snapshot(obs, el, got.box)
        runner.memory["it"] = el.text if el is not None else got.text
        return Emit(Click(at=got.box.center, count=3), f"select the text of {got.why}")
    effect = effect_seen(st, obs, st.target.box if st.target else None)
    return Done(effect or "selected the text (a selection shows only as highlight)")


def _box_text(el: UIElement | None) -> str:
    return (el.value or el.text) if el is not None else ""
