"""The desktop environment: mss capture, pyautogui input, X11 windows, a kill switch."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import NamedTuple

from PIL import Image

from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.desktop import effect_probe
from screenpilot.environments.desktop.abort import AbortSwitch
from screenpilot.environments.desktop.apps import default_app_dirs, launch, resolve_command
from screenpilot.environments.desktop.capture import Frame, MssCapture
from screenpilot.environments.desktop.config import DesktopConfig
from screenpilot.environments.desktop.continuous import ContinuousCapture
from screenpilot.environments.desktop.drawn import DrawWatch
from screenpilot.environments.desktop.event_settle import EventSettle
from screenpilot.environments.desktop.fresh import Fresh
from screenpilot.environments.desktop.input import PointerKeyboard
from screenpilot.environments.desktop.pyautogui_binding import PyAutoGuiBinding
from screenpilot.environments.desktop.text import is_plain_ascii, type_unicode
from screenpilot.environments.desktop.windows import WindowInfo, X11Windows, dialog_extra
from screenpilot.environments.desktop.xtest_typing import XTestTyper
from screenpilot.environments.effects import Effect
from screenpilot.environments.frames import FrameSink
from screenpilot.environments.geometry import ScreenGeometry, to_screen
from screenpilot.environments.observation import Observation
from screenpilot.environments.settle import Sample, wait_for_stable_frames
from screenpilot.tools.actions import (
    Action,
    Click,
    Drag,
    KeyPress,
    LongPress,
    MouseMove,
    OpenApp,
    Scroll,
    ScrollDirection,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import ConfigError, DriverError, EnvCrashed, EnvTimeout, ScreenpilotError
from screenpilot.tools.points import Point

DESKTOP_ACTIONS = frozenset(
    {"click", "mouse_move", "drag", "long_press", "type", "key", "scroll", "wait", "open_app"}
)


class Seen(NamedTuple):
    """A frame and the drawing count read just before it was grabbed (0 without X events):
    it is the screen while the count has not moved."""

    frame: Frame
    draws: int


WindowState = tuple[tuple[WindowInfo, ...], WindowInfo | None]
"""The open top-level windows (bottom to top) and the active one."""


class DesktopEnvironment:
    """An :class:`~environments.base.Environment` over a real desktop.

    Points are mapped through the geometry of the last observation (the screenshot the
    policy saw). The kill switch (abort file, abort hotkey) is checked before every
    action, and pyautogui's fail-safe corner aborts too; all three raise
    :class:`~tools.errors.Aborted`.

    Args:
        config: Driver options.
        environ: Environment for programs the driver starts (``xdotool``, ``xclip``,
            applications); the process environment when ``None``. ``DISPLAY`` is set to
            ``config.display`` in it.
    """

    def __init__(
        self, config: DesktopConfig | None = None, *, environ: Mapping[str, str] | None = None
    ) -> None:
        self.config = cfg = config or DesktopConfig()
        self._child_env = dict(os.environ if environ is None else environ)
        if cfg.display:
            self._child_env["DISPLAY"] = cfg.display
        self._app_dirs = cfg.app_dirs if cfg.app_dirs is not None else default_app_dirs(self._child_env)
        self._action_timeout_s = 30.0
        self._deadline: float | None = None
        self._launched: list[subprocess.Popen[bytes]] = []
        self._geometry: ScreenGeometry | None = None
        self._closed = False
        self._effect: effect_probe.DesktopBefore | None = None
        # Readings taken since the last input, handed on instead of read again (one grab
        # and one window query per step): the settle wait's last frame goes to the effect
        # measure and the next observation; the effect measure's window state to the next
        # observation; the observation's window state to the next action's effect baseline.
        # An observation takes what it uses, so observing twice reads the screen twice.
        self._frame: Fresh[Seen] = Fresh()
        self._observed: Seen | None = None  # the last observation's frame
        self._windows_after: Fresh[WindowState] = Fresh()
        self._windows_seen: Fresh[WindowState] = Fresh()
        self.capture = MssCapture(cfg.display, cfg.monitor, cfg.scale_factor)
        try:
            self.windows = X11Windows(cfg.display) if sys.platform.startswith("linux") else None
            self.binding = PyAutoGuiBinding(cfg.display, failsafe=cfg.failsafe, pause_s=cfg.pause_s)
        except ScreenpilotError:
            # Do not leak the connections opened so far.
            self.capture.close()
            if getattr(self, "windows", None) is not None:
                self.windows.close()  # type: ignore[union-attr]
            raise
        self.abort = AbortSwitch(cfg.abort_file, cfg.abort_hotkey, self.windows)
        self.events = self._open_events() if cfg.settle_events and self.windows is not None else None
        """What decides from X events that the screen is still (``None``: sampling only)."""
        self._typer = (
            XTestTyper(self.windows.display, settle=self._settle_between_batches)
            if self.windows is not None
            else None
        )
        self.io = PointerKeyboard(
            self.binding,
            move_duration_s=cfg.move_duration_s,
            drag_duration_s=cfg.drag_duration_s,
            type_interval_s=cfg.type_interval_s,
            check_deadline=self._check_action,
        )

    # -- Environment protocol -------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(platform="desktop", actions=DESKTOP_ACTIONS, input="pointer")

    def reset(self) -> Observation:
        """Open ``start_app`` when configured (a desktop cannot be rewound) and observe."""
        if self.config.start_app:
            self.execute(OpenApp(name=self.config.start_app))
        return self.observe()

    def observe(self) -> Observation:
        """The screen and the active window; a frame and a window state read a moment ago
        with no input since (by the settle wait and the effect measure) are used as they are."""
        self._check_open()
        with self._x_errors():
            seen = self._observed = self._kept_frame(take=True) or self._read_frame()
            frame = seen.frame
            image = frame.image
            active, extra = None, {}
            if self.windows is not None and self.config.window_info:
                state = self._windows_after.take() or self._read_windows()
                windows, active = self._windows_seen.keep(state)
                extra = dialog_extra(list(windows))
        self._geometry = frame.geometry
        return Observation(
            screenshot=image,
            geometry=frame.geometry,
            capabilities=self.capabilities,
            title=active.title if active is not None else None,
            app=active.wm_class if active is not None and active.wm_class else None,
            extra=extra,
        )

    def execute(self, action: Action) -> StepResult:
        self._check_open()
        self.abort.check()
        start = time.monotonic()
        self._deadline = start + self._action_timeout_s
        self._input_sent()
        try:
            with self._x_errors():
                if self.events is not None:
                    self.events.mark()
                message = self._apply(action)
        finally:
            self._deadline = None
            self._input_sent()
        return StepResult(ok=True, message=message, elapsed_s=time.monotonic() - start)

    def set_action_timeout(self, seconds: float) -> None:
        self._action_timeout_s = seconds

    def settle(self, timeout_s: float) -> SettleResult:
        """Wait until the screen is still (bounded by ``timeout_s``).

        The X server has processed the input first: the driver's connection makes a round
        trip. Then X events may prove the screen still at once (:mod:`.event_settle`);
        otherwise downscaled grabs are compared until two in a row agree.
        """
        start = time.monotonic()
        with self._x_errors():
            self.binding.sync()
            if self.events is not None:
                ping_s = min(self.config.settle_first_interval_s, timeout_s)
                result = self.events.settle(ping_s)
                if result is not None:
                    self._carry_observed()
                    return result
            spent = time.monotonic() - start  # the events' look counts against the bound
            sampled = wait_for_stable_frames(
                self._grab_for_settle,
                timeout_s=max(0.0, timeout_s - spent),
                interval_s=self.config.settle_interval_s,
                first_interval_s=self.config.settle_first_interval_s,
                frames=self.config.settle_frames,
            )
            return sampled.model_copy(update={"elapsed_s": sampled.elapsed_s + spent})

    def _grab_for_settle(self) -> Sample:
        return self._frame.keep(self._read_frame()).frame.sample()

    def _read_frame(self) -> Seen:
        """A new frame, with the drawing count read just before it was grabbed."""
        draws = self.events.draws() if self.events is not None else 0
        return Seen(self.capture.grab_frame(), draws)

    def _kept_frame(self, *, take: bool = False) -> Seen | None:
        """The frame read a moment ago with no input since, unless something was drawn
        on the screen after it was grabbed."""
        seen = self._frame.get()
        if seen is not None and self.events is not None and self.events.draws() != seen.draws:
            seen = None
        if take or seen is None:
            self._frame.forget()
        return seen

    def _carry_observed(self) -> None:
        """After a still verdict: the last observation's frame is the screen as it is, when
        nothing has been drawn since it was grabbed (the next stages need not grab)."""
        observed = self._observed
        if observed is not None and self.events is not None and observed.draws == self.events.watch.count:
            self._frame.keep(observed)

    def _open_events(self) -> EventSettle | None:
        try:
            return EventSettle(DrawWatch(self.config.display))
        except DriverError:
            return None  # no DAMAGE extension: the settle wait samples the screen

    def begin_effect(self, action: Action, before: Observation) -> None:
        """Keep the screenshot the action was decided on, its point and the open windows."""
        try:
            windows, active = self._windows_seen.get() or self._read_windows()
        except (DriverError, EnvCrashed):
            windows, active = (), None
        self._effect = effect_probe.begin(action, before, windows, _title(active))

    def end_effect(self) -> Effect:
        """Windows opened or closed, the active window, and the screen change around the
        point and as a whole (against the settle wait's last frame when it is fresh)."""
        before, self._effect = self._effect, None
        if before is None or self._closed:
            return Effect()
        try:
            with self._x_errors():
                after = (self._kept_frame() or self._frame.keep(self._read_frame())).frame.image
                windows, active = self._windows_after.keep(self._read_windows())
        except (DriverError, EnvCrashed):
            return Effect()  # the next observation reports what went wrong
        return effect_probe.end(before, after, windows, _title(active))

    def _read_windows(self) -> WindowState:
        if self.windows is None:
            return (), None
        with self._x_errors():
            return self.windows.state()

    def _input_sent(self) -> None:
        """What was read before this point is out of date."""
        self._frame.forget()
        self._windows_after.forget()
        self._windows_seen.forget()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.config.close_launched:
            for proc in self._launched:
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=2)
                    except subprocess.TimeoutExpired:
                        proc.kill()
        self.abort.close()
        if self._typer is not None:
            self._typer.close()
        self.binding.close()
        if self.windows is not None:
            self.windows.close()
        if self.events is not None:
            self.events.watch.close()
        self.capture.close()

    def start_capture(self, sink: FrameSink, *, fps: float, queue_size: int = 8) -> ContinuousCapture:
        """Film the observed monitor at ``fps`` into ``sink`` until the handle's ``stop()``
        (a :class:`~environments.frames.FrameStream`; the grabs use their own connection)."""
        cfg = self.config

        def open_grabber() -> tuple[Callable[[], Image.Image], Callable[[], None]]:
            own = MssCapture(cfg.display, cfg.monitor, cfg.scale_factor)
            return own.grab_image, own.close

        return ContinuousCapture(open_grabber, sink, fps=fps, queue_size=queue_size).start()

    @property
    def child_environment(self) -> dict[str, str]:
        """The environment programs started by the driver get (``DISPLAY`` included)."""
        return dict(self._child_env)

    # -- windows --------------------------------------------------------------------------

    def list_windows(self) -> list[WindowInfo]:
        """Open top-level windows (X11)."""
        return self._require_windows().list()

    def focus_window(self, query: str) -> WindowInfo:
        """Raise and focus the topmost window whose title or class contains ``query``."""
        windows = self._require_windows()
        with self._x_errors():
            window = windows.find(query)
            self._input_sent()
            windows.focus(window.id)
        return window

    def active_window(self) -> WindowInfo | None:
        return self._require_windows().active()

    # -- actions --------------------------------------------------------------------------

    def _apply(self, action: Action) -> str:
        match action:
            case Click(at=at, button=button, count=count, modifiers=mods):
                xy = self._xy(at)
                self.io.click(xy, button=button.value, count=count, modifiers=mods)
                return f"{button.value}-clicked {count}x at {xy}"
            case MouseMove(at=at):
                xy = self._xy(at)
                self.io.move(xy)
                return f"moved to {xy}"
            case Drag(path=path, button=button, hold_seconds=hold, from_pointer=from_pointer):
                points = [self._xy(p) for p in path]
                self.io.drag(points, button=button.value, hold_s=hold, from_pointer=from_pointer)
                return f"dragged through {len(points)} points"
            case LongPress(at=at, seconds=seconds):
                xy = self._xy(at)
                self.io.press_hold(xy, seconds)
                return f"held at {xy} for {seconds:g}s"
            case TypeText():
                return self._type(action)
            case KeyPress(keys=keys):
                self.io.chord(keys)
                return f"pressed {'+'.join(keys)}"
            case Scroll(direction=direction, amount=amount, at=at):
                return self._scroll(direction, amount, at)
            case Wait(seconds=seconds):
                self._sleep(seconds)
                return f"waited {seconds:g}s"
            case OpenApp(name=name):
                return self._open_app(name)
        raise DriverError(f"the desktop environment cannot execute {action.action!r}")

    def _xy(self, point: Point) -> tuple[int, int]:
        if self._geometry is None:
            self._geometry = self.capture.grab()[1]
        xy = to_screen(point, self._geometry)
        self.io.reject_failsafe_target(xy)
        return xy

    def _type(self, action: TypeText) -> str:
        if action.text is None:
            raise DriverError("the secret was not resolved before reaching the driver")
        if action.clear_first:
            # Select-all then delete works in GTK, Qt, browsers and most editors.
            self.io.chord(("ctrl", "a"))
            self.io.chord(("backspace",))
        text = action.text
        method = self._unicode_method()
        if is_plain_ascii(text):
            self.io.type_ascii(text)
        elif method == "xtest" and self._typer is not None:
            self._typer.type(text, self._check_action)
        else:
            type_unicode(
                text,
                method=method,
                env=self._child_env,
                timeout_s=self._remaining(),
                press_chord=self.io.chord,
            )
        if action.submit:
            self.io.chord(("enter",))
        return f"typed {len(text)} characters"

    def _unicode_method(self) -> str:
        method = self.config.unicode_typing
        if method == "auto":
            return "xtest" if self._typer is not None else "clipboard"
        if method in ("xtest", "xdotool") and self._typer is None:
            raise ConfigError(f"unicode_typing={method} works on X11 only; use unicode_typing=clipboard")
        return method

    def _scroll(self, direction: ScrollDirection, amount: float, at: Point | None) -> str:
        notches = max(1, round(amount))
        xy = self._xy(at) if at is not None else None
        horizontal = direction in (ScrollDirection.LEFT, ScrollDirection.RIGHT)
        sign = 1 if direction in (ScrollDirection.UP, ScrollDirection.RIGHT) else -1
        self.io.scroll(sign * notches, horizontal=horizontal, at=xy)
        return f"scrolled {direction.value} {notches} notches"

    def _open_app(self, name: str) -> str:
        argv = resolve_command(name, self._app_dirs)
        before = {w.id for w in self.windows.list()} if self.windows is not None else set()
        proc = launch(argv, self._child_env)
        self._launched.append(proc)
        if self.windows is None:
            return f"started {argv[0]}"
        end = time.monotonic() + min(self.config.launch_wait_s, self._remaining())
        while time.monotonic() < end:
            new = [w for w in self.windows.list() if w.id not in before]
            if new:
                self.windows.focus(new[-1].id)
                return f"opened {new[-1].title or argv[0]!r}"
            if proc.poll() not in (None, 0):
                raise DriverError(f"{argv[0]} exited with status {proc.returncode}")
            self._sleep(0.1)
        return f"started {argv[0]} (no new window within {self.config.launch_wait_s:g}s)"

    # -- helpers --------------------------------------------------------------------------

    def _remaining(self) -> float:
        return (
            self._action_timeout_s if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        )

    def _check_deadline(self) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise EnvTimeout(f"the action took longer than {self._action_timeout_s:g}s")

    def _settle_between_batches(self) -> None:
        # Keycodes are about to be reused: let the application draw what it was sent.
        self._sleep(0.05)
        self.settle(min(1.0, self._remaining()))

    def _check_action(self) -> None:
        self._check_deadline()
        self.abort.check()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check_deadline()
            self.abort.check()
            time.sleep(min(left, 0.05))

    def _require_windows(self) -> X11Windows:
        if self.windows is None:
            raise ConfigError("window listing and focus are implemented for X11 only")
        return self.windows

    def _check_open(self) -> None:
        if self._closed:
            raise EnvCrashed("the desktop environment was closed")

    @contextmanager
    def _x_errors(self) -> Iterator[None]:
        """Turn X protocol failures into the project's errors, by type."""
        if self.windows is None:
            yield
            return
        from Xlib.error import ConnectionClosedError, XError

        try:
            yield
        except ConnectionClosedError as e:
            raise EnvCrashed(f"the X display connection closed: {e}") from e
        except XError as e:
            raise DriverError(f"X11 request failed: {e}") from e


def _title(window: WindowInfo | None) -> str | None:
    return None if window is None else window.title
