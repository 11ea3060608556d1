"""Dates, times and colours: reading what the instruction says and picking days in calendars.

A pop-up calendar is used as a person would: open it (click the field), read the month
it shows, step with its previous/next controls until the wanted month shows, click the
day. English and Chinese month names are read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline.areas import app_elements
from screenpilot.model.offline.effects import _element_at
from screenpilot.model.offline.progress import Done, Emit, Fail, Outcome, StepState
from screenpilot.model.offline.sources import element_role
from screenpilot.model.offline.steps import Step
from screenpilot.tools.actions import Click

if TYPE_CHECKING:
    from screenpilot.model.offline.step_machine import StepRunner

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_ZH_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月|(\d{1,2})\s*月\s*(\d{4})")
_MAX_MONTH_STEPS = 36
_COLORS = {
    "black": "000000",
    "white": "ffffff",
    "red": "ff0000",
    "green": "008000",
    "lime": "00ff00",
    "blue": "0000ff",
    "yellow": "ffff00",
    "cyan": "00ffff",
    "aqua": "00ffff",
    "magenta": "ff00ff",
    "fuchsia": "ff00ff",
    "silver": "c0c0c0",
    "gray": "808080",
    "grey": "808080",
    "maroon": "800000",
    "olive": "808000",
    "purple": "800080",
    "teal": "008080",
    "navy": "000080",
    "orange": "ffa500",
    "pink": "ffc0cb",
    "brown": "a52a2a",
    "gold": "ffd700",
    "violet": "ee82ee",
    "indigo": "4b0082",
    "beige": "f5f5dc",
    "coral": "ff7f50",
    "红色": "ff0000",
    "绿色": "008000",
    "蓝色": "0000ff",
    "黄色": "ffff00",
    "黑色": "000000",
    "白色": "ffffff",
}


def parse_date(text: str) -> date | None:
    """A date from "05/20/2010", "2010-05-20", "May 20, 2010", "2010年5月20日"."""
    t = text.strip()
    for pattern, order in (
        (r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$", "ymd"),
        (r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", "mdy"),
    ):
        m = re.match(pattern, t)
        if m:
            a, b, c = (int(g) for g in m.groups())
            y, mo, d = (a, b, c) if order == "ymd" else (c, a, b)
            try:
                return date(y, mo, d)
            except ValueError:
                return None
    m = re.match(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", t)
    if m and m.group(1).lower()[:3] in [x[:3] for x in MONTHS]:
        return date(
            int(m.group(3)), [x[:3] for x in MONTHS].index(m.group(1).lower()[:3]) + 1, int(m.group(2))
        )
    return None


def iso_date(text: str) -> str | None:
    """The ISO form ("2010-05-20") a native date input reports as its value."""
    d = parse_date(text)
    return d.isoformat() if d else None


def parse_time(text: str) -> tuple[int, int] | None:
    """Hours (0-23) and minutes from "9:37 PM", "21:37", "9点37分"."""
    m = re.match(r"^\s*(\d{1,2})[:：点](\d{2})分?\s*([AaPp])?\.?\s*[Mm]?\.?\s*$", text)
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    ampm = (m.group(3) or "").lower()
    if ampm == "p" and h < 12:
        h += 12
    if ampm == "a" and h == 12:
        h = 0
    return (h, mi) if h < 24 and mi < 60 else None


def color_hex(name: str) -> str | None:
    """The hex code of a colour name ("maroon" -> "800000"), or ``None``."""
    key = name.strip().lower()
    if re.fullmatch(r"#?[0-9a-f]{6}", key):
        return key.lstrip("#")
    return _COLORS.get(key)


def shown_month(obs: Observation) -> tuple[int, int] | None:
    """The (year, month) a visible calendar shows, read from its title."""
    texts = [e.text for e in app_elements(obs) if e.text]
    joined = " ".join(texts)
    for y_first in (True, False):
        for e_text in [joined, *texts]:
            m = re.search(r"\b(" + "|".join(MONTHS) + r")\b\s*(\d{4})", e_text, flags=re.I)
            if m:
                return int(m.group(2)), MONTHS.index(m.group(1).lower()) + 1
            z = _ZH_MONTH.search(e_text)
            if z:
                if z.group(1):
                    return int(z.group(1)), int(z.group(2))
                return int(z.group(4)), int(z.group(3))
        if not y_first:
            break
    return None


def _control(obs: Observation, words: tuple[str, ...]) -> UIElement | None:
    for e in app_elements(obs):
        label = f"{e.label} {e.attributes.get('hint', '')} {e.attributes.get('class', '')}".lower()
        if element_role(e) in ("text", "group"):
            continue
        if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", label) for w in words):
            return e
    return None


def pick_date(runner: StepRunner, step: Step, st: StepState, obs: Observation, want: str) -> Outcome:
    """Open the calendar, move to the wanted month, click the day; read the field back."""
    assert st.target is not None
    wanted = parse_date(want)
    if wanted is None:
        return Fail(f"{want!r} is not a date")
    if st.phase == 0:
        st.phase = 1
        return Emit(Click(at=st.target.box.center), "open the calendar")
    if st.phase == 2:
        now = _element_at(obs, st.element, None) if st.element is not None else None
        if now is None or not runner.verify or _has_date(now.value or now.text, wanted):
            return Done(f"picked {wanted.isoformat()}")
        return Fail(f"the field shows {now.value!r} after picking {wanted.isoformat()}")
    shown = shown_month(obs)
    if shown is None:
        return Fail(
            f"no calendar month is shown after opening {st.target.text!r}; {runner.grounder.seen(obs)}"
        )
    months = (wanted.year - shown[0]) * 12 + (wanted.month - shown[1])
    if months != 0:
        if st.retries >= _MAX_MONTH_STEPS:
            return Fail(f"could not reach {wanted:%B %Y} in the calendar")
        st.retries += 1
        nav = _control(
            obs,
            ("next", "›", "»", ">", "下个月", "下一月")
            if months > 0
            else ("prev", "previous", "‹", "«", "<", "上个月", "上一月"),
        )
        if nav is None:
            return Fail("the calendar has no previous/next month control")
        n = min(abs(months), 12)  # the control stays put: all the steps at once, then read again
        way = "next" if months > 0 else "previous"
        return Emit(Click(at=nav.box.center), f"{n} x {way} month (from {shown[0]}-{shown[1]:02d})", repeat=n)
    day = _day(obs, wanted.day)
    if day is None:
        return Fail(f"day {wanted.day} is not in the calendar")
    st.phase = 2
    return Emit(Click(at=day.box.center), f"pick day {wanted.day}")


def _day(obs: Observation, day: int) -> UIElement | None:
    cells = [e for e in app_elements(obs) if e.label.strip() == str(day) and _pickable_day(e)]
    order = {"link": 0, "button": 0, "option": 1, "clickable": 1, "text": 2}
    return min(cells, key=lambda e: order.get(element_role(e), 3), default=None)


def _pickable_day(e: UIElement) -> bool:
    classes = e.attributes.get("class", "")
    kind_ok = element_role(e) in ("link", "button", "clickable", "option", "text")
    return kind_ok and "disabled" not in classes and "other-month" not in classes


def _has_date(text: str, d: date) -> bool:
    digits = re.findall(r"\d+", text)
    return (
        str(d.year) in digits
        and (str(d.month) in [x.lstrip("0") for x in digits])
        and str(d.day) in [x.lstrip("0") for x in digits]
    )
