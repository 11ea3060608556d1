"""A small simulated GUI that reacts to clicks, typing and keys, with ground truth.

It is part of the library so that users can test their own policies and workflows
without a browser, an X server or a device.
"""

from __future__ import annotations

import random
import time

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.fake.render import (
    dialog_button_rects,
    dialog_rect,
    render,
    widget_rect_on_screen,
)
from screenpilot.environments.fake.spec import AppSpec, Widget, login_app
from screenpilot.environments.fake.state import FakeState
from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.actions import (
    Action,
    Click,
    Drag,
    KeyPress,
    LongPress,
    MouseMove,
    Scroll,
    ScrollDirection,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import DriverError, EnvCrashed, EnvTimeout
from screenpilot.tools.points import Box, CoordSpace

_ROLE = {"button": "button", "field": "textbox", "checkbox": "checkbox", "label": "text", "link": "link"}
_SCROLL_STEP = 40


class FakeConfig(BaseModel):
    """Options of the fake environment.

    Attributes:
        app: The simulated application.
        scale_factor: Image pixels per logical pixel (2 simulates a HiDPI screen).
        expose_elements: Whether observations carry the widget tree.
        seed: Seed for the popup dialog's randomness.
    """

    model_config = ConfigDict(frozen=True)

    app: AppSpec = login_app()
    scale_factor: float = 1.0
    expose_elements: bool = True
    seed: int = 0


class FakeEnvironment:
    """An :class:`~environments.base.Environment` over a simulated GUI."""

    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.app = self.config.app
        self._rng = random.Random(self.config.seed)
        self.state = self._initial_state()
        self._closed = False
        self._action_timeout_s = 30.0

    # -- Environment protocol -------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            platform="fake",
            input="pointer",
            actions=frozenset({"click", "mouse_move", "drag", "long_press", "type", "key", "scroll", "wait"}),
            elements=self.config.expose_elements,
        )

    @property
    def geometry(self) -> ScreenGeometry:
        return ScreenGeometry(
            image_size=Size(
                width=round(self.app.width * self.config.scale_factor),
                height=round(self.app.height * self.config.scale_factor),
            ),
            logical_size=Size(width=self.app.width, height=self.app.height),
            scale_factor=self.config.scale_factor,
        )

    def reset(self) -> Observation:
        self._rng = random.Random(self.config.seed)
        self.state = self._initial_state()
        return self.observe()

    def observe(self) -> Observation:
        self._check_open()
        return Observation(
            screenshot=render(self.app, self.state, self.config.scale_factor),
            geometry=self.geometry,
            capabilities=self.capabilities,
            elements=self._elements() if self.config.expose_elements else (),
            title=self.app.screen(self.state.screen).title,
            app=self.app.name,
        )

    def execute(self, action: Action) -> StepResult:
        self._check_open()
        start = time.monotonic()
        index = self.state.actions
        self.state.actions += 1
        faults = self.app.faults
        if faults.execute_delay_s:
            time.sleep(min(faults.execute_delay_s, self._action_timeout_s))
            if faults.execute_delay_s > self._action_timeout_s:
                raise EnvTimeout(f"action {index} took longer than {self._action_timeout_s:g}s")
        if index in faults.crash_at:
            raise EnvCrashed(f"simulated crash at action {index}")
        if index in faults.driver_error_at:
            raise DriverError(f"simulated driver failure at action {index}")
        message = self._apply(action)
        self.state.log.append(action.describe())
        self._maybe_popup()
        return StepResult(ok=True, message=message, elapsed_s=time.monotonic() - start)

    def set_action_timeout(self, seconds: float) -> None:
        self._action_timeout_s = seconds

    def settle(self, timeout_s: float) -> SettleResult:
        return SettleResult(stable=True, elapsed_s=0.0)

    def close(self) -> None:
        self._closed = True

    # -- ground truth helpers for tests and scripted policies -----------------------------

    def widget(self, widget_id: str) -> Widget:
        """The widget with ``widget_id`` on the current screen."""
        for w in self.app.screen(self.state.screen).widgets:
            if w.id == widget_id:
                return w
        raise KeyError(f"no widget {widget_id!r} on screen {self.state.screen!r}")

    def center_of(self, widget_id: str) -> tuple[float, float]:
        """Logical centre of a widget as currently drawn (scroll applied)."""
        r = widget_rect_on_screen(self.widget(widget_id), self.state)
        return r.x + r.w / 2, r.y + r.h / 2

    def dialog_button_center(self, label: str) -> tuple[float, float]:
        assert self.app.dialog is not None
        for name, r in dialog_button_rects(self.app, self.app.dialog):
            if name == label:
                return r.x + r.w / 2, r.y + r.h / 2
        raise KeyError(label)

    # -- internals ------------------------------------------------------------------------

    def _initial_state(self) -> FakeState:
        state = FakeState(screen=self.app.start)
        for screen in self.app.screens:
            for w in screen.widgets:
                if w.kind == "field":
                    state.values[w.id] = w.initial_value
                elif w.kind == "checkbox":
                    state.checked[w.id] = w.initial_checked
        state.visited.append(self.app.start)
        return state

    def _check_open(self) -> None:
        if self._closed:
            raise EnvCrashed("the fake environment was closed")

    def _elements(self) -> tuple[UIElement, ...]:
        out: list[UIElement] = []
        screen = self.app.screen(self.state.screen)
        blocked = self.state.dialog_open
        for w in screen.widgets:
            r = widget_rect_on_screen(w, self.state)
            if r.y + r.h <= 56 or r.y >= self.app.height:
                continue
            value = self.state.values.get(w.id) if w.kind == "field" else None
            out.append(
                UIElement(
                    id=w.id,
                    role=_ROLE[w.kind],
                    tag=w.kind,
                    name=w.label,
                    text=w.label if w.kind != "field" else "",
                    value=("•" * len(value) if value and w.password else value),
                    placeholder=w.placeholder,
                    box=Box(x0=r.x, y0=r.y, x1=r.x + r.w, y1=r.y + r.h, space=CoordSpace.SCREEN),
                    enabled=not blocked,
                    editable=w.kind == "field",
                    checked=self.state.checked.get(w.id) if w.kind == "checkbox" else None,
                    attributes={"type": "password"} if w.password else {},
                )
            )
        if blocked and self.app.dialog is not None:
            # the dialog's words are elements too, as a DOM or accessibility tree would show them
            d = dialog_rect(self.app)
            for key, text, y0, y1 in (
                ("title", self.app.dialog.title, 20, 46),
                ("text", self.app.dialog.text, 60, 80),
            ):
                out.append(
                    UIElement(
                        id=f"dialog_{key}",
                        role="text",
                        tag="label",
                        name=text,
                        text=text,
                        box=Box(x0=d.x + 20, y0=d.y + y0, x1=d.x + d.w - 20, y1=d.y + y1),
                    )
                )
            for label, r in dialog_button_rects(self.app, self.app.dialog):
                out.append(
                    UIElement(
                        id=f"dialog_{label.lower()}",
                        role="button",
                        tag="button",
                        name=label,
                        text=label,
                        box=Box(x0=r.x, y0=r.y, x1=r.x + r.w, y1=r.y + r.h),
                    )
                )
        return tuple(out)

    def _logical(self, action: Click | MouseMove | LongPress) -> tuple[float, float]:
        x, y = to_screen(action.at, self.geometry)
        return float(x), float(y)

    def _apply(self, action: Action) -> str:
        match action:
            case Click() | LongPress():
                x, y = self._logical(action)
                self.state.pointer = (x, y)
                return self._click(x, y)
            case MouseMove():
                self.state.pointer = self._logical(action)
                return "moved"
            case TypeText(text=text) if text is not None:
                return self._type(text, action.clear_first, action.submit)
            case TypeText():
                raise DriverError("the fake environment received an unresolved secret")
            case KeyPress(keys=keys):
                return self._keys(keys)
            case Scroll(direction=direction, amount=amount):
                return self._scroll(direction, amount)
            case Drag(path=path):
                end = to_screen(path[-1], self.geometry)
                self.state.pointer = (float(end[0]), float(end[1]))
                return "dragged"
            case Wait(seconds=s):
                time.sleep(min(s, 0.05))
                return "waited"
        raise DriverError(f"the fake environment cannot execute {action.action!r}")

    def _click(self, x: float, y: float) -> str:
        state = self.state
        if state.dialog_open and self.app.dialog is not None:
            for label, r in dialog_button_rects(self.app, self.app.dialog):
                if r.contains(x, y):
                    state.dialog_open = False
                    state.dialog_choice = label
                    return f"dialog closed with {label!r}"
            return "click blocked by the dialog"
        for w in self.app.screen(state.screen).widgets:
            if widget_rect_on_screen(w, state).contains(x, y):
                return self._activate(w)
        state.focus = None
        return "clicked empty space"

    def _activate(self, w: Widget) -> str:
        state = self.state
        if w.kind == "field":
            state.focus = w.id
            state.select_all = False
            return f"focused {w.id}"
        if w.kind == "checkbox":
            state.checked[w.id] = not state.checked.get(w.id, False)
            return f"{w.id} {'checked' if state.checked[w.id] else 'unchecked'}"
        if w.kind in ("button", "link"):
            return self._command(w.on_click)
        return f"clicked {w.id}"

    def _command(self, command: str) -> str:
        state = self.state
        verb, _, arg = command.partition(":")
        if verb == "goto":
            self._goto(arg)
            return f"opened {arg}"
        if verb == "submit":
            screen = self.app.screen(state.screen)
            for field_id, want in screen.requires.items():
                have = "checked" if state.checked.get(field_id) else state.values.get(field_id, "")
                if have != want:
                    state.error = screen.error_text
                    return f"submit refused: {screen.error_text}"
            if screen.on_success:
                self._goto(screen.on_success)
            return "submitted"
        return "nothing happened"

    def _goto(self, screen: str) -> None:
        self.app.screen(screen)  # raises on a broken spec
        self.state.screen = screen
        self.state.error = ""
        self.state.focus = None
        self.state.scroll_y = 0
        self.state.visited.append(screen)

    def _type(self, text: str, clear_first: bool, submit: bool) -> str:
        state = self.state
        if state.dialog_open:
            return "typing blocked by the dialog"
        if state.focus is None:
            return "typed with no field focused"
        if clear_first or state.select_all:
            state.values[state.focus] = ""
            state.select_all = False
        state.values[state.focus] += text
        if submit:
            self._keys(("enter",))
        return f"typed into {state.focus}"

    def _keys(self, keys: tuple[str, ...]) -> str:
        state = self.state
        combo = "+".join(keys)
        if combo in ("ctrl+a", "meta+a") and state.focus:
            state.select_all = True
        elif combo in ("backspace", "delete") and state.focus:
            value = state.values[state.focus]
            state.values[state.focus] = "" if state.select_all else value[:-1]
            state.select_all = False
        elif combo == "tab":
            self._focus_next()
        elif combo == "enter" and not state.dialog_open:
            for w in self.app.screen(state.screen).widgets:
                if w.kind == "button" and w.on_click == "submit":
                    return self._command("submit")
        elif combo == "escape" and state.dialog_open:
            state.dialog_open = False
            state.dialog_choice = "escape"
        return f"pressed {combo}"

    def _focus_next(self) -> None:
        fields = [w.id for w in self.app.screen(self.state.screen).widgets if w.kind == "field"]
        if not fields:
            return
        if self.state.focus in fields:
            self.state.focus = fields[(fields.index(self.state.focus) + 1) % len(fields)]
        else:
            self.state.focus = fields[0]

    def _scroll(self, direction: ScrollDirection, amount: float) -> str:
        screen = self.app.screen(self.state.screen)
        limit = max(0, (screen.content_height or self.app.height) - self.app.height)
        delta = round(amount * _SCROLL_STEP)
        if direction is ScrollDirection.DOWN:
            self.state.scroll_y = min(limit, self.state.scroll_y + delta)
        elif direction is ScrollDirection.UP:
            self.state.scroll_y = max(0, self.state.scroll_y - delta)
        return f"scrolled to {self.state.scroll_y}"

    def _maybe_popup(self) -> None:
        dialog = self.app.dialog
        state = self.state
        if dialog is None or state.dialog_open or state.dialogs_shown >= dialog.max_times:
            return
        if state.actions in dialog.at_steps or (
            dialog.probability and self._rng.random() < dialog.probability
        ):
            state.dialog_open = True
            state.dialogs_shown += 1
