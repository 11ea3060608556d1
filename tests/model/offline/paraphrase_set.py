"""The paraphrase set: sentences with the steps they mean, and a scorer (parsing only, no screen).

Each entry of ``data/paraphrases_*.yaml`` is ``{say: SENTENCE, steps: [STEP, ...]}``. A
step is written ``KIND [VALUE] [-> TARGET] [| EXTRAS]``:

* VALUE: ``"text"`` (typed, selected, waited for, answered), ``secret:NAME``, ``<ref>`` (a
  value read off the page; ``<$it>`` is the one read before), keys for ``press``
  (``ctrl+a``), seconds for ``wait``, ``DIRECTION [N]`` for ``scroll``;
* TARGET: a description, compared by what it asks for (text, kind, ordinal, relation,
  anchor, container, region), not by its wording;
* EXTRAS: ``every``, ``explore`` and ``key=value`` for ``scope``, ``count``, ``transform``,
  ``dest``, ``direction``, ``amount``, ``ends``.

A sentence counts as right when every step matches exactly, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from screenpilot.model.offline.hints import parse_target
from screenpilot.model.offline.interpreter import interpret
from screenpilot.model.offline.steps import Step

DATA = Path(__file__).parent / "data"
_EXTRA = re.compile(r"(\w+)=(.*?)(?=\s+\w+=|$)")


@dataclass(frozen=True)
class Entry:
    say: str
    steps: tuple[str, ...]
    language: str


def load(language: str) -> list[Entry]:
    """The entries of ``paraphrases_<language>.yaml``."""
    raw: list[dict[str, Any]] = yaml.safe_load(
        (DATA / f"paraphrases_{language}.yaml").read_text(encoding="utf-8")
    )
    return [Entry(str(e["say"]), tuple(e["steps"]), language) for e in raw]


def expected(spec: str) -> dict[str, Any]:
    """The fields a written step asks for."""
    head, _, extras = spec.partition(" | ")
    head, _, target = head.partition(" -> ")
    kind, _, value = head.strip().partition(" ")
    want: dict[str, Any] = {"kind": kind, "target": target.strip() or None}
    value = value.strip()
    if kind == "press":
        want["keys"] = tuple(value.split("+"))
    elif kind == "wait" and value:
        want["amount"] = float(value)
    elif kind == "scroll":
        parts = value.split()
        want["direction"] = parts[0]
        want["amount"] = float(parts[1]) if len(parts) > 1 else None
    elif value.startswith("secret:"):
        want["secret"] = value.removeprefix("secret:")
    elif value.startswith("<") and value.endswith(">"):
        want["value_ref"] = value[1:-1]
    elif value.startswith('"') and value.endswith('"'):
        want["text"] = value[1:-1]
    for word in extras.split():
        if word in ("every", "explore"):
            want[word] = True
    for key, val in _EXTRA.findall(extras):
        want[key] = float(val) if key in ("amount",) else int(val) if key == "count" else val
    return want


def _target_key(description: str | None) -> tuple[Any, ...] | None:
    if description is None:
        return None
    s = parse_target(description)
    return (
        s.text.casefold(),
        s.role,
        s.ordinal,
        s.relation,
        (s.anchor or "").casefold(),
        s.within,
        s.vregion,
        s.hregion,
    )


def matches(step: Step, spec: str) -> bool:
    """Whether ``step`` is the step ``spec`` describes."""
    want = expected(spec)
    if step.kind != want["kind"]:
        return False
    if want["kind"] == "unknown":
        return True
    checks = {
        "text": step.text,
        "secret": step.secret,
        "value_ref": step.value_ref,
        "keys": step.keys or None,
        "every": step.every,
        "count": step.count,
        "scope": step.scope,
        "transform": step.transform,
        "dest": step.dest,
        "ends": step.ends,
    }
    defaults: dict[str, Any] = {"every": False, "keys": None}
    for field, got in checks.items():
        if field == "text" and step.kind in ("wait", "scroll", "press"):
            continue
        if got != want.get(field, defaults.get(field)):
            return False
    if "direction" in want and step.direction != want["direction"]:
        return False
    if "amount" in want and step.amount != want["amount"]:
        return False
    if want.get("explore") and not step.explore:
        return False
    if step.kind == "drag" and step.dest and want.get("dest") and not step.dest.isdigit():
        return _target_key(step.dest) == _target_key(want["dest"]) and _target_key(
            step.target
        ) == _target_key(want["target"])
    return _target_key(step.target) == _target_key(want["target"])


def score(entries: list[Entry]) -> tuple[float, list[str]]:
    """The share of entries parsed exactly, and a line for each one that was not."""
    wrong = []
    for e in entries:
        try:
            steps = interpret(e.say)
        except Exception as err:
            wrong.append(f"{e.say!r}: {type(err).__name__}: {err}")
            continue
        ok = len(steps) == len(e.steps) and all(matches(s, w) for s, w in zip(steps, e.steps, strict=False))
        if not ok:
            wrong.append(f"{e.say!r}: got {[s.describe() for s in steps]}, want {list(e.steps)}")
    return 1 - len(wrong) / len(entries), wrong
