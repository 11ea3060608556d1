"""Fuzz the Qwen answer parser and action mapper with degenerate model answers.

Run: ``python -m devtools.fuzz_answers [--cases 1000000] [--workers 2] [--seed 0]``

Every case is a text a model server could send: well-formed tool calls whose arguments
take extreme values (integers past the float range, NaN, nested lists, wrong types), in
Qwen3-VL's and UI-TARS's syntax, and malformed ones (truncated, repeated openers, deep
brackets, junk bytes, lone surrogates). Each is read by every answer parser: Qwen3-VL's,
parsed and mapped under three coordinate set-ups; UI-TARS's, under two; the planner's JSON
step. The invariants are:

* the result is actions or a :class:`~screenpilot.tools.errors.ModelOutputError`, never
  another exception;
* every point of every action lands on the screen (``to_screen`` and ``to_screen_float``
  stay within the last pixel).

The test suite runs a seeded sample of the same cases (``tests/model/test_answer_fuzz.py``);
this script runs the full count on demand and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen, to_screen_float
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.planner.answer import parse_plan
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.uitars.actions import TarsContext
from screenpilot.model.uitars.actions import to_actions as tars_actions
from screenpilot.model.uitars.parser import parse_answer
from screenpilot.tools.actions import Action
from screenpilot.tools.errors import CoordinateOutOfRange, ModelOutputError
from screenpilot.tools.points import Point

ACTIONS = (
    "left_click", "click", "right_click", "middle_click", "double_click", "triple_click", "mouse_move",
    "left_click_drag", "type", "key", "scroll", "hscroll", "wait", "terminate", "answer", "long_press",
    "swipe", "system_button", "open", "navigate", "back", "forward", "new_tab", "switch_tab", "close_tab",
)  # fmt: skip
KEYS = ("coordinate", "coordinate2", "start_coordinate", "pixels", "amount", "time", "index", "text",
        "keys", "status", "button", "url", "action")  # fmt: skip
UNITS = ("<function=", "{", "[", "<tool_call>", "</tool_call>", "<parameter=a>", "<think>", '{"a":"', '"',
         "\\", "```", ",]", "{}", "}{", "\n", " ", "</parameter>", "<function=a><parameter=x>")  # fmt: skip
NUMBERS: tuple[Any, ...] = (
    0, 1, -1, 500, 999, 1000, 1001, 1279, 1280, 0.5, -0.0, 1e308, -1e308, 1e-320, 10**308, 10**309,
    -(10**400), 2**63, 2**1000, float("inf"), float("nan"), "NaN", "Infinity", "1e999", "12", " 7 ",
    "0x10", "", True, False, None,
)  # fmt: skip

SETUPS: tuple[tuple[CoordConvention, ScreenGeometry, Size, tuple[str, ...]], ...] = (
    (CoordConvention.REL1000, ScreenGeometry.simple(1280, 800), Size(width=1280, height=800),
     ("computer_use", "browser_use")),
    (CoordConvention.IMAGE, ScreenGeometry.simple(1280, 800, 2.0), Size(width=1232, height=784),
     ("computer_use",)),
    (CoordConvention.REL999, ScreenGeometry.simple(1080, 2400, 2.625), Size(width=1080, height=2400),
     ("mobile_use",)),
)  # fmt: skip


@dataclass
class Tally:
    """What a batch of cases did."""

    cases: int = 0
    rejected: int = 0
    """Answers refused with a ModelOutputError (re-asked)."""
    accepted: int = 0
    points: int = 0
    """Points mapped and checked against the screen."""
    outside: int = 0
    crashes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    slowest_s: float = 0.0
    """CPU time of the slowest single parse and mapping (wall time on a shared machine says
    more about the other jobs than about the parser)."""

    def add(self, other: Tally) -> None:
        self.cases += other.cases
        self.rejected += other.rejected
        self.accepted += other.accepted
        self.points += other.points
        self.outside += other.outside
        self.crashes.update(other.crashes)
        for k, v in other.examples.items():
            self.examples.setdefault(k, v)
        self.slowest_s = max(self.slowest_s, other.slowest_s)


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(NUMBERS)
    if roll < 0.6:
        return [_value(rng, depth + 1) for _ in range(rng.choice((0, 1, 2, 2, 2, 3)))] if depth < 3 else 1
    if roll < 0.75:
        return rng.choice(("", "x", "{{secret:pw}}", "ctrl+c", "KEYCODE_HOME", "success", "back", "é" * 3))
    if roll < 0.85 and depth < 3:
        return {rng.choice(KEYS): _value(rng, depth + 1)}
    return [rng.uniform(-10, 1300), rng.uniform(-10, 1300)]


POINTER = (
    "left_click",
    "click",
    "double_click",
    "mouse_move",
    "left_click_drag",
    "scroll",
    "long_press",
    "swipe",
)
EDGES: tuple[Any, ...] = (0, 0.0, -0.0, 0.4, 1, 499.5, 998, 999, 999.4, 999.6, 1000, 1000.0, 1000.4,
                          1001, 1231, 1232, 1232.5, 1233, 783, 784, 785, 1279, 1280, -1, -0.4, "1000",
                          "0")  # fmt: skip


def _edge(rng: random.Random) -> Any:
    return rng.choice(EDGES) if rng.random() < 0.7 else round(rng.uniform(-5, 1300), rng.choice((0, 1, 3)))


def _arguments(rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.5:  # a plausible pointer action whose numbers sit on the edges
        args = {"action": rng.choice(POINTER), "coordinate": [_edge(rng), _edge(rng)]}
        for key in ("coordinate2", "start_coordinate"):
            if rng.random() < 0.4:
                args[key] = [_edge(rng), _edge(rng)]
        for key in ("pixels", "time"):
            if rng.random() < 0.4:
                args[key] = rng.choice(NUMBERS)
        return args
    args = {"action": rng.choice(ACTIONS) if rng.random() < 0.95 else _value(rng)}
    for key in rng.sample(KEYS, rng.randint(0, 4)):
        args[key] = _value(rng)
    return args


def _call(rng: random.Random) -> str:
    name = rng.choices(("computer_use", "", "mobile_use", "browser_use", "nope"), (12, 3, 2, 2, 1))[0]
    args = _arguments(rng)
    shape = rng.random()
    if shape < 0.5:
        body = json.dumps({"name": name, "arguments": args}, allow_nan=True, default=str)
        return f"<tool_call>{body}</tool_call>"
    if shape < 0.8:
        params = "".join(f"<parameter={k}>\n{_xml(v)}\n</parameter>" for k, v in args.items())
        return f"<tool_call><function={name}>{params}</function></tool_call>"
    return json.dumps({"name": name, "arguments": args}, default=str)


def _xml(value: Any) -> str:
    """A parameter value as Qwen writes it in the XML form: strings bare, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value, default=str)


TARS_NAMES = ("click", "left_single", "left_double", "right_single", "hover", "drag", "select", "hotkey",
              "press", "type", "scroll", "wait", "finished", "call_user", "long_press", "open_app",
              "press_home", "press_back", "nope")  # fmt: skip
TARS_POINTER = ("click", "left_double", "right_single", "hover", "drag", "long_press", "scroll")
TARS_KEYS = ("start_box", "end_box", "point", "start_point", "end_point", "key", "content", "direction",
             "time", "app_name")  # fmt: skip


def _tars_value(rng: random.Random) -> str:
    a, b, c, d = (_edge(rng) for _ in range(4))
    return rng.choice((
        f"({a},{b})", f"<|box_start|>({a},{b})<|box_end|>", f"<point>{a} {b}</point>",
        f"({a},{b},{c},{d})", f"<bbox>{a} {b} {c} {d}</bbox>", str(rng.choice(NUMBERS)),
        "9" * rng.choice((20, 400)), "ctrl c", "down", "{{secret:pw}}", "{{secret:nope}}", "x\\n", "", "é",
    ))  # fmt: skip


def make_tars_case(rng: random.Random) -> str:
    """An answer in UI-TARS's syntax (``Thought: ... Action: click(start_box='(x,y)')``)."""
    calls = []
    for _ in range(rng.choice((1, 1, 1, 2, 9))):
        if rng.random() < 0.5:  # a plausible pointer action whose numbers sit on the edges
            end = f", end_box='({_edge(rng)},{_edge(rng)})'" if rng.random() < 0.4 else ""
            calls.append(f"{rng.choice(TARS_POINTER)}(start_box='({_edge(rng)},{_edge(rng)})'{end})")
            continue
        args = ", ".join(f"{k}='{_tars_value(rng)}'" for k in rng.sample(TARS_KEYS, rng.randint(0, 3)))
        calls.append(f"{rng.choice(TARS_NAMES)}({args})")
    text = "Thought: t\nAction: " + "\n\n".join(calls)
    return _mutate(rng, text) if rng.random() < 0.3 else text


def _mutate(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.25:
        return text[: rng.randint(0, len(text))]
    if roll < 0.45:
        i = rng.randint(0, len(text))
        return text[:i] + rng.choice(UNITS) * rng.choice((1, 2, 10, 200, 3000)) + text[i:]
    if roll < 0.55:
        return "<think>" + "x" * rng.randint(0, 100) + ("</think>" if rng.random() < 0.5 else "") + text
    if roll < 0.65:
        i = rng.randint(0, len(text))
        junk = "".join(chr(rng.choice((0, 0xD800, 0xFFFF, 0x202E, rng.randint(1, 0x2FFF)))) for _ in range(5))
        return text[:i] + junk + text[i:]
    if roll < 0.75:
        return "```json\n" + text + "\n```"
    return text


def make_case(rng: random.Random) -> str:
    """One answer a server might send: well-formed calls (Qwen3-VL's or UI-TARS's), damaged
    ones or junk."""
    roll = rng.random()
    if roll < 0.15:
        return make_tars_case(rng)
    calls = "".join(_call(rng) for _ in range(rng.choice((1, 1, 1, 1, 2, 9))))
    if roll < 0.5:
        return "Thought: t\nAction: a\n" + calls
    if roll < 0.7:
        return _mutate(rng, calls)
    if roll < 0.85:
        return rng.choice(UNITS) * rng.choice((1, 10, 1000, 20000))
    return "".join(chr(rng.randint(0, 0x10FF)) for _ in range(rng.randint(0, 300)))


def _points(action: Action) -> Iterator[Point]:
    for name in ("at", "start", "end"):
        p = getattr(action, name, None)
        if isinstance(p, Point):
            yield p
    yield from getattr(action, "path", ()) or ()


def check(text: str, tally: Tally) -> None:
    """Read ``text`` with every parser and set-up, counting what happened in ``tally``."""
    tally.cases += 1
    for convention, geometry, model_image, tools in SETUPS:
        mapper = CoordinateMapper(convention, geometry, model_image)
        context = MapContext(mapper=mapper, tools=tools, secrets=("pw",))
        _attempt(text, tally, geometry, partial(_read_qwen, text, context))
    for convention, geometry, model_image, _ in SETUPS[:2]:
        tars = TarsContext(mapper=CoordinateMapper(convention, geometry, model_image), secrets=("pw",))
        _attempt(text, tally, geometry, partial(_read_tars, text, tars))
    _attempt(text, tally, None, partial(_read_plan, text))


def _read_qwen(text: str, context: MapContext) -> Sequence[Action]:
    return to_actions(parse_response(text).calls, context)


def _read_tars(text: str, context: TarsContext) -> Sequence[Action]:
    return tars_actions(parse_answer(text).calls, context)


def _read_plan(text: str) -> Sequence[Action]:
    parse_plan(text)  # a step names its target in words: no point to check
    return ()


def _attempt(
    text: str, tally: Tally, geometry: ScreenGeometry | None, read: Callable[[], Sequence[Action]]
) -> None:
    started = time.thread_time()
    try:
        actions = read()
    except ModelOutputError:
        tally.rejected += 1
        return
    except Exception as e:  # what the fuzzer is looking for
        kind = type(e).__name__
        tally.crashes[kind] += 1
        tally.examples.setdefault(kind, text[:300])
        return
    finally:
        tally.slowest_s = max(tally.slowest_s, time.thread_time() - started)
    tally.accepted += 1
    for action in actions:
        for point in _points(action):
            tally.points += 1
            if geometry is None or not _on_screen(point, geometry):
                tally.outside += 1
                tally.examples.setdefault("outside", text[:300])


def _on_screen(point: Point, g: ScreenGeometry) -> bool:
    try:
        xs, ys = to_screen(point, g)
        xf, yf = to_screen_float(point, g)
    except CoordinateOutOfRange:
        return False
    w, h = g.logical_size.width, g.logical_size.height
    return 0 <= xs <= w - 1 and 0 <= ys <= h - 1 and 0 <= xf <= w - 1 and 0 <= yf <= h - 1


def run_batch(seed: int, count: int) -> Tally:
    """``count`` cases from ``seed``."""
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(count):
        check(make_case(rng), tally)
    return tally


def _batch(args: tuple[int, int]) -> Tally:
    return run_batch(*args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=mp.cpu_count())
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    batch = 5000
    jobs = [
        (args.seed * 1_000_003 + i, min(batch, args.cases - i * batch))
        for i in range(-(-args.cases // batch))
    ]
    started = time.monotonic()
    total = Tally()
    with mp.get_context("spawn").Pool(args.workers) as pool:
        for tally in pool.imap_unordered(_batch, jobs):
            total.add(tally)
    elapsed = time.monotonic() - started
    print(
        f"{total.cases} cases in {elapsed:.0f}s: {total.rejected} refused with ModelOutputError, "
        f"{total.accepted} mapped to actions, {total.points} points checked, {total.outside} outside the "
        f"screen, {sum(total.crashes.values())} other exceptions {dict(total.crashes)}; slowest parse "
        f"{total.slowest_s * 1000:.1f} ms of CPU"
    )
    for kind, example in total.examples.items():
        print(f"  example of {kind}: {example!r}")
    raise SystemExit(1 if total.crashes or total.outside else 0)


if __name__ == "__main__":
    main()
