"""A contract checker every environment must pass (in the spirit of Gymnasium's env_checker).

Use it in a driver's tests::

    report = check_environment(MyEnvironment(...))
    assert report.ok, report.problems

It resets, observes, evaluates a script when the capabilities say it can, executes one
harmless supported action, tries one unsupported action, settles, and closes twice,
checking the shapes, the geometry and that every observation carries the environment's
capabilities on the way. The
environment is closed when the check ends.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image
from pydantic import BaseModel, ConfigDict

from screenpilot.environments.base import (
    Capabilities,
    Environment,
    SettleResult,
    StepResult,
    SupportsEvaluate,
)
from screenpilot.environments.geometry import to_screen
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import (
    TERMINAL_KINDS,
    Action,
    Click,
    CloseTab,
    Drag,
    GoBack,
    GoForward,
    KeyPress,
    LongPress,
    MouseMove,
    Navigate,
    NewTab,
    OpenApp,
    Reload,
    Scroll,
    ScrollDirection,
    Swipe,
    SwitchTab,
    SystemButton,
    SystemButtonName,
    TypeText,
    Wait,
    action_kinds,
)
from screenpilot.tools.errors import ActionRejected, ConfigError, DriverError, ScreenpilotError
from screenpilot.tools.points import CoordSpace, Point

_CENTER = Point(x=500, y=500, space=CoordSpace.REL1000)

SAMPLE_ACTIONS: dict[str, Action] = {
    "click": Click(at=_CENTER),
    "mouse_move": MouseMove(at=_CENTER),
    "drag": Drag(path=(_CENTER, Point(x=510, y=510, space=CoordSpace.REL1000))),
    "swipe": Swipe(start=_CENTER, end=Point(x=500, y=400, space=CoordSpace.REL1000)),
    "long_press": LongPress(at=_CENTER, seconds=0.1),
    "type": TypeText(text="a"),
    "key": KeyPress(keys=("shift",)),
    "scroll": Scroll(direction=ScrollDirection.DOWN, amount=1),
    "wait": Wait(seconds=0.0),
    "navigate": Navigate(url="about:blank"),
    "back": GoBack(),
    "forward": GoForward(),
    "reload": Reload(),
    "new_tab": NewTab(),
    "switch_tab": SwitchTab(index=0),
    "close_tab": CloseTab(),
    "open_app": OpenApp(name="screenpilot-contract-check"),
    "system_button": SystemButton(button=SystemButtonName.MENU),
}
"""One instance of every non-terminal action kind, used to probe environments."""

HARMLESS_ORDER = ("wait", "mouse_move", "key", "scroll")
"""Preferred supported actions to execute during the check (none of them changes much)."""


class ContractReport(BaseModel):
    """What the checker found.

    Attributes:
        checks: Checks that passed, in order.
        problems: Violations, each a sentence naming what is wrong.
    """

    model_config = ConfigDict(frozen=True)

    checks: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise :class:`ConfigError` listing the problems, if any."""
        if self.problems:
            raise ConfigError("environment contract violated: " + "; ".join(self.problems))


class _Checker:
    def __init__(self) -> None:
        self.checks: list[str] = []
        self.problems: list[str] = []

    def expect(self, condition: bool, check: str, problem: str) -> bool:
        (self.checks if condition else self.problems).append(check if condition else problem)
        return condition

    def report(self) -> ContractReport:
        return ContractReport(checks=tuple(self.checks), problems=tuple(self.problems))


def _check_capabilities(c: _Checker, caps: object) -> Capabilities | None:
    if not c.expect(
        isinstance(caps, Capabilities), "capabilities type", "capabilities is not a Capabilities"
    ):
        return None
    assert isinstance(caps, Capabilities)
    unknown = caps.actions - action_kinds()
    c.expect(not unknown, "capabilities name known actions", f"unknown action kinds {sorted(unknown)}")
    terminal = caps.actions & TERMINAL_KINDS
    c.expect(not terminal, "no terminal kinds", f"terminal kinds {sorted(terminal)} must not reach drivers")
    c.expect(bool(caps.actions), "some actions", "the environment supports no action at all")
    return caps


def _check_observation(c: _Checker, obs: object, caps: Capabilities, what: str) -> Observation | None:
    if not c.expect(isinstance(obs, Observation), f"{what} type", f"{what} did not return an Observation"):
        return None
    assert isinstance(obs, Observation)
    g = obs.geometry
    c.expect(
        isinstance(obs.screenshot, Image.Image), f"{what} image", f"{what} screenshot is not a PIL image"
    )
    c.expect(
        obs.screenshot.size == (g.image_size.width, g.image_size.height),
        f"{what} image size matches geometry",
        f"{what} screenshot is {obs.screenshot.size} but geometry says {g.image_size}",
    )
    c.expect(
        obs.capabilities == caps,
        f"{what} carries the capabilities",
        f"{what} capabilities {obs.capabilities!r} differ from the environment's {caps!r}",
    )
    ratio_x, ratio_y = g.image_per_logical_x, g.image_per_logical_y
    c.expect(
        abs(ratio_x - ratio_y) < 0.02 * max(ratio_x, ratio_y),
        f"{what} square pixels",
        f"{what} image/logical ratios differ: {ratio_x:.3f} vs {ratio_y:.3f}",
    )
    bad = [e.id for e in obs.elements if e.box.space is not CoordSpace.SCREEN]
    c.expect(
        not bad, f"{what} element boxes in screen space", f"{what} elements not in screen space: {bad[:5]}"
    )
    if obs.elements and not caps.elements:
        c.problems.append(f"{what} has elements but capabilities.elements is false")
    corner = to_screen(Point(x=1000, y=1000, space=CoordSpace.REL1000), g)
    c.expect(
        corner == (int(g.offset_x + g.logical_size.width - 1), int(g.offset_y + g.logical_size.height - 1)),
        f"{what} geometry maps the corner",
        f"{what} rel1000 corner maps to {corner}",
    )
    return obs


def _guard(c: _Checker, what: str, fn: Callable[[], object]) -> object | None:
    try:
        return fn()
    except ScreenpilotError as e:
        c.problems.append(f"{what} raised {type(e).__name__}: {e}")
    return None


def check_environment(env: Environment, *, settle_timeout_s: float = 1.0) -> ContractReport:
    """Run the contract checks on ``env`` and close it.

    Args:
        env: A fresh environment.
        settle_timeout_s: Bound passed to ``settle``.

    Returns:
        The report; ``report.ok`` is true when nothing was violated.
    """
    c = _Checker()
    try:
        caps = _check_capabilities(c, env.capabilities)
        if caps is None:
            return c.report()
        first = _check_observation(c, _guard(c, "reset()", env.reset), caps, "reset()")
        again = _check_observation(c, _guard(c, "observe()", env.observe), caps, "observe()")
        if first is not None and again is not None:
            c.expect(
                first.geometry.logical_size == again.geometry.logical_size,
                "stable logical size",
                f"logical size changed from {first.geometry.logical_size} to {again.geometry.logical_size}",
            )
        _check_scripting(c, env, caps)
        _check_execute(c, env, caps)
        settled = _guard(c, "settle()", lambda: env.settle(settle_timeout_s))
        c.expect(isinstance(settled, SettleResult), "settle result", "settle() did not return a SettleResult")
        _check_observation(
            c, _guard(c, "observe() after acting", env.observe), caps, "observe() after acting"
        )
    finally:
        _check_close(c, env)
    return c.report()


def _check_scripting(c: _Checker, env: Environment, caps: Capabilities) -> None:
    if not caps.scripting:
        return
    if not c.expect(
        isinstance(env, SupportsEvaluate),
        "scripting: evaluate()",
        "capabilities.scripting is true but the environment has no evaluate()",
    ):
        return
    assert isinstance(env, SupportsEvaluate)
    answer = _guard(c, "evaluate()", lambda: env.evaluate("(n) => n + 1", 41))
    c.expect(answer == 42, "scripting evaluates", f"evaluate('(n) => n + 1', 41) returned {answer!r}")


def _check_execute(c: _Checker, env: Environment, caps: Capabilities) -> None:
    kind = next((k for k in HARMLESS_ORDER if k in caps.actions), None) or sorted(caps.actions)[0]
    action = SAMPLE_ACTIONS.get(kind)
    if action is not None:
        result = _guard(c, f"execute({kind})", lambda: env.execute(action))
        c.expect(
            isinstance(result, StepResult), f"execute({kind}) result", f"execute({kind}) returned {result!r}"
        )
    unsupported = next((k for k in SAMPLE_ACTIONS if k not in caps.actions), None)
    if unsupported is None:
        c.checks.append("supports every action kind")
        return
    try:
        outcome = env.execute(SAMPLE_ACTIONS[unsupported])
    except (ActionRejected, DriverError):
        c.checks.append(f"unsupported {unsupported} rejected")
        return
    except ScreenpilotError as e:
        c.problems.append(
            f"unsupported {unsupported} raised {type(e).__name__}, not ActionRejected/DriverError"
        )
        return
    c.expect(
        isinstance(outcome, StepResult) and not outcome.ok,
        f"unsupported {unsupported} refused",
        f"unsupported {unsupported} was reported as done",
    )


def _check_close(c: _Checker, env: Environment) -> None:
    for n in (1, 2):
        try:
            env.close()
        except ScreenpilotError as e:
            c.problems.append(f"close() #{n} raised {type(e).__name__}: {e}")
            return
    c.checks.append("close twice")
