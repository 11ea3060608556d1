"""Choose among a clause's candidate parses by what is on the screen when the clause is reached.

Each candidate's targets are looked up on the current screen; a parse whose targets are
there (a field labelled "password", an option "Blue" in a list) beats one whose targets
are not, unless its words fit much worse. Parses without targets keep their prior.
"""

from __future__ import annotations

from statistics import mean

from screenpilot.environments.observation import Observation
from screenpilot.model.offline.frames import Parse
from screenpilot.model.offline.grounder import OfflineGrounder
from screenpilot.model.offline.interpreter import ClauseReading
from screenpilot.tools.perception.text_match import normalize

ROLE_OF_KIND = {
    "type": "textbox",
    "clear": "textbox",
    "focus": "textbox",
    "paste": "textbox",
    "check": "checkbox",
    "uncheck": "checkbox",
    "select": "combobox",
}
"""The kind of element a step acts on when its words do not say."""


def fit(parse: Parse, obs: Observation, grounder: OfflineGrounder) -> float:
    """How well the parse's targets are present on ``obs`` (0..1; 0.5 with no targets)."""
    scores = []
    for step in parse.steps:
        if step.kind == "select" and step.text:
            scores.append(_option_shown(obs, step.text))
        elif step.target and step.target != "$it":
            found = grounder.find(obs, step.target, role=ROLE_OF_KIND.get(step.kind), scope=step.scope)
            scores.append(found[0].score if found else 0.0)
    return mean(scores) if scores else 0.5


def _option_shown(obs: Observation, text: str) -> float:
    """1 when a list on the screen offers ``text`` (an option element or a select's options)."""
    want = normalize(text)
    for el in obs.elements:
        options = [normalize(o) for o in el.attributes.get("options", "").split(" | ")]
        if want in options or (el.role == "option" and normalize(el.label) == want):
            return 1.0
    return 0.3


def pick(reading: ClauseReading, obs: Observation, grounder: OfflineGrounder) -> tuple[Parse | None, str]:
    """The candidate to act on, and a note on why when the screen decided."""
    if not reading.parses:
        return None, ""
    if len(reading.parses) == 1:
        return reading.parses[0], ""
    scored = sorted(
        ((p.prior * (0.6 + 0.4 * fit(p, obs, grounder)), i, p) for i, p in enumerate(reading.parses)),
        key=lambda t: (-t[0], t[1]),
    )
    best = scored[0][2]
    note = "" if best is reading.parses[0] else f"read as {best.frame!r}: its targets are on the screen"
    return best, note
