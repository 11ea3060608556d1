"""The Android environment: a device behind an adb server, driven through adbutils."""

from __future__ import annotations

import contextlib
import time

from PIL import Image

from screenpilot.environments.android import apps, effect_probe
from screenpilot.environments.android.hierarchy import parse_hierarchy
from screenpilot.environments.android.keymap import SYSTEM_BUTTONS, keycode
from screenpilot.environments.android.link import DeviceLink, ShellResult
from screenpilot.environments.android.options import AndroidOptions
from screenpilot.environments.android.screen import (
    decode_png,
    decode_raw,
    parse_density,
    parse_focus,
    parse_rotation,
    parse_size,
    sample_raw_screencap,
)
from screenpilot.environments.android.textinput import (
    ADB_KEYBOARD_IME,
    CLIPPER_PACKAGE,
    adb_keyboard_command,
    clipboard_commands,
    input_text_commands,
    is_typable_ascii,
)
from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.effects import Effect
from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.environments.settle import Sample, sample_image, wait_for_stable_frames
from screenpilot.tools.actions import (
    Action,
    Click,
    KeyPress,
    LongPress,
    MouseButton,
    OpenApp,
    Scroll,
    ScrollDirection,
    Swipe,
    SystemButton,
    TypeText,
    Wait,
)
from screenpilot.tools.errors import DriverError, EnvCrashed, ScreenpilotError
from screenpilot.tools.points import Point

ACTIONS = frozenset(
    {"click", "long_press", "swipe", "type", "key", "system_button", "open_app", "wait", "scroll"}
)
_MAX_COMMAND_CHARS = 2000  # old adbd versions cap a shell request at 4 KiB
REUSE_LOOK_S = 0.25
"""How old the observation an effect measurement took may be for observe() to return it."""


class AndroidEnvironment:
    """An :class:`~environments.base.Environment` over one Android device.

    Screen space is device pixels of the current rotation, the space ``input tap`` uses;
    screenshots have the same size, so image and screen coincide. Density, rotation and
    the serial go into ``Observation.extra``; reconnects go into ``Observation.notices``.

    Args:
        options: Device address and observation settings.

    Raises:
        ConfigError: When no device can be reached, or several are attached and none was
            chosen.
    """

    def __init__(self, options: AndroidOptions | None = None) -> None:
        self.options = options or AndroidOptions()
        self._timeout = self.options.command_timeout_s
        self._closed = False
        self.link = DeviceLink(self.options)
        self._geometry: ScreenGeometry | None = None
        self._previous_ime: str | None = None
        self._has: dict[str, bool] = {}
        self._effect: effect_probe.AndroidBefore | None = None
        self._looked: tuple[float, Observation] | None = None
        """The observation the last effect measurement took, reused by an observe() right after."""
        self._physical, self._density = self._read_display()

    # -- Environment protocol -------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            platform="android", actions=ACTIONS, input="touch", elements=self.options.elements
        )

    def set_action_timeout(self, seconds: float) -> None:
        self._timeout = seconds

    def reset(self) -> Observation:
        """Reconnect if needed, press Home, observe."""
        self._check_open()
        if not self.link.healthy():
            self.link.reconnect()
        self._act("input keyevent 3")
        return self.observe()

    def observe(self) -> Observation:
        looked, self._looked = self._looked, None
        if looked is not None and time.monotonic() - looked[0] <= REUSE_LOOK_S:
            # the effect of the last action was measured on this very screen a moment ago
            return looked[1].model_copy(update={"notices": tuple(self.link.take_notices())})
        return self._look(take_notices=True)

    def _look(self, *, take_notices: bool) -> Observation:
        image = self.screenshot()
        state = self._sh(self._state_command()).text
        if self.link.notices:  # reconnected: the display may be another one now
            self._physical, self._density = self._read_display()
        package, activity = parse_focus(state)
        size = Size(width=image.width, height=image.height)
        self._geometry = ScreenGeometry(image_size=size, logical_size=size, scale_factor=1.0)
        notices = list(self.link.take_notices()) if take_notices else []
        elements: tuple[UIElement, ...] = ()
        if self.options.elements:
            if "<?xml" in state:
                elements = parse_hierarchy(state[state.find("<?xml") :])
            else:
                notices.append("uiautomator dump failed; no element list this step")
        return Observation(
            screenshot=image,
            geometry=self._geometry,
            capabilities=self.capabilities,
            elements=elements,
            app=package,
            title=activity,
            notices=tuple(notices),
            extra=self._extra(image, parse_rotation(state)),
        )

    def begin_effect(self, action: Action, before: Observation) -> None:
        """Keep the observation the action was decided on and hit-test its point on it."""
        self._effect = effect_probe.begin(action, before)

    def end_effect(self) -> Effect:
        """Elements that appeared, went or changed, a new activity, and the screen change
        around the point and as a whole."""
        before, self._effect = self._effect, None
        if before is None or self._closed:
            return Effect()
        try:
            now = self._look(take_notices=False)
        except (DriverError, EnvCrashed):
            return Effect()  # the next observation reports what went wrong
        self._looked = (time.monotonic(), now)
        return effect_probe.end(before, now.screenshot, now)

    def execute(self, action: Action) -> StepResult:
        self._check_open()
        self._looked = None
        start = time.monotonic()
        message = self._apply(action)
        return StepResult(ok=True, message=message, elapsed_s=time.monotonic() - start)

    def settle(self, timeout_s: float) -> SettleResult:
        if self.options.settle_frames == 0:
            return SettleResult(stable=True, elapsed_s=0.0)
        return wait_for_stable_frames(
            self._settle_sample, timeout_s=timeout_s, interval_s=0.05, frames=self.options.settle_frames
        )

    def _settle_sample(self) -> Sample:
        """A downscaled screenshot to compare (raw pixels are sampled without decoding)."""
        if self.options.screenshot == "png":
            return sample_image(self.screenshot())
        return sample_raw_screencap(self._sh("screencap").stdout)

    def close(self) -> None:
        if self._closed:
            return
        if self._previous_ime:
            # give the user their keyboard back; a dropped device keeps ADB Keyboard
            with contextlib.suppress(ScreenpilotError):
                self._act(f"ime set {self._previous_ime}")
        self._closed = True

    # -- observing -------------------------------------------------------------------------

    def screenshot(self) -> Image.Image:
        """The screen in device pixels (raw pixels or PNG, per ``options.screenshot``)."""
        if self.options.screenshot == "png":
            return decode_png(self._sh("screencap -p").stdout)
        return decode_raw(self._sh("screencap").stdout)

    def ui_elements(self) -> tuple[UIElement, ...]:
        """A fresh ``uiautomator dump``."""
        return parse_hierarchy(self._sh(self._dump_command()).text)

    def _dump_command(self) -> str:
        path = self.options.dump_path
        return f"uiautomator dump {path} >/dev/null && cat {path}"

    def _state_command(self) -> str:
        cmd = "dumpsys window | grep mCurrentFocus; dumpsys input | grep SurfaceOrientation"
        return f"{cmd}; {self._dump_command()}" if self.options.elements else cmd

    def _read_display(self) -> tuple[tuple[int, int] | None, int | None]:
        text = self._sh("wm size; wm density").text
        return parse_size(text), parse_density(text)

    def _extra(self, image: Image.Image, rotation: int | None) -> dict[str, str | int | float | bool]:
        landscape = image.width > image.height
        if rotation is None and self._physical is not None:
            rotation = 1 if landscape != (self._physical[0] > self._physical[1]) else 0
        extra: dict[str, str | int | float | bool] = {
            "serial": self.link.serial,
            "orientation": "landscape" if landscape else "portrait",
        }
        if rotation is not None:
            extra["rotation"] = rotation * 90
        if self._density is not None:
            extra["density"] = self._density
            extra["dp_scale"] = self._density / 160
        if self._physical is not None:
            extra["physical_size"] = f"{self._physical[0]}x{self._physical[1]}"
        return extra

    # -- acting ----------------------------------------------------------------------------

    def _apply(self, action: Action) -> str:
        match action:
            case Click():
                return self._tap(action)
            case LongPress(at=at, seconds=seconds):
                x, y = self._xy(at)
                self._act(f"input swipe {x} {y} {x} {y} {round(seconds * 1000)}")
                return f"long-pressed ({x}, {y}) for {seconds:g}s"
            case Swipe(start=start, end=end, duration_ms=ms):
                (x1, y1), (x2, y2) = self._xy(start), self._xy(end)
                self._act(f"input swipe {x1} {y1} {x2} {y2} {ms}")
                return f"swiped ({x1}, {y1}) -> ({x2}, {y2}) in {ms} ms"
            case Scroll():
                return self._scroll(action)
            case TypeText(text=text) if text is not None:
                return self._type(text, clear_first=action.clear_first, submit=action.submit)
            case TypeText():
                raise DriverError("the Android environment received an unresolved secret")
            case KeyPress(keys=keys):
                codes = " ".join(str(keycode(k)) for k in keys)
                self._act(f"input keycombination {codes}" if len(keys) > 1 else f"input keyevent {codes}")
                return f"pressed {'+'.join(keys)}"
            case SystemButton(button=button):
                self._act(f"input keyevent {SYSTEM_BUTTONS[button]}")
                return f"pressed the {button.value} button"
            case OpenApp(name=name):
                return self._open_app(name)
            case Wait(seconds=seconds):
                time.sleep(min(seconds, self._timeout))
                return f"waited {seconds:g}s"
        raise DriverError(f"the Android environment cannot execute {action.action!r}")

    def _tap(self, action: Click) -> str:
        if action.button is not MouseButton.LEFT or action.modifiers:
            raise DriverError("a touch screen has no right or middle button and no modifier keys")
        x, y = self._xy(action.at)
        self._act(" && ".join([f"input tap {x} {y}"] * action.count))
        return f"tapped ({x}, {y})" + (f" {action.count} times" if action.count > 1 else "")

    def _scroll(self, action: Scroll) -> str:
        g = self._geom()
        w, h = g.logical_size.width, g.logical_size.height
        x, y = self._xy(action.at) if action.at is not None else (w // 2, h // 2)
        step = round(min(action.amount, 10.0) * min(w, h) * 0.08)
        # content moves with the finger: scrolling down means swiping up
        dx, dy = {
            ScrollDirection.DOWN: (0, -step),
            ScrollDirection.UP: (0, step),
            ScrollDirection.RIGHT: (-step, 0),
            ScrollDirection.LEFT: (step, 0),
        }[action.direction]
        x2, y2 = min(max(x + dx, 1), w - 2), min(max(y + dy, 1), h - 2)
        self._act(f"input swipe {x} {y} {x2} {y2} 300")
        return f"scrolled {action.direction.value} by swiping ({x}, {y}) -> ({x2}, {y2})"

    def _xy(self, point: Point) -> tuple[int, int]:
        return to_screen(point, self._geom())

    def _geom(self) -> ScreenGeometry:
        if self._geometry is None:
            image = self.screenshot()
            size = Size(width=image.width, height=image.height)
            self._geometry = ScreenGeometry(image_size=size, logical_size=size)
        return self._geometry

    # -- text ------------------------------------------------------------------------------

    def _type(self, text: str, *, clear_first: bool, submit: bool) -> str:
        if clear_first:
            self._clear_focused()
        method = self._text_method(text)
        if method == "input":
            self._run_batched(input_text_commands(text))
        elif method == "adb_keyboard":
            self._use_adb_keyboard()
            self._act(adb_keyboard_command(text))
        else:
            set_clip, paste = clipboard_commands(text)
            if "result=-1" not in self._act(set_clip):
                raise DriverError("the clipboard app did not accept the text")
            self._act(paste)
        if submit:
            self._act("input keyevent 66")
        return f"typed {len(text)} characters with {method.replace('_', ' ')}"

    def _text_method(self, text: str) -> str:
        chosen = self.options.text_input
        if chosen == "auto" and is_typable_ascii(text):
            return "input"
        if chosen in ("auto", "adb_keyboard") and self._installed("adb_keyboard"):
            return "adb_keyboard"
        if chosen in ("auto", "clipboard") and self._installed("clipboard"):
            return "clipboard"
        wanted = "ADB Keyboard (com.android.adbkeyboard)" if chosen != "clipboard" else ""
        wanted += " or " if chosen == "auto" else ""
        wanted += f"Clipper ({CLIPPER_PACKAGE})" if chosen != "adb_keyboard" else ""
        raise DriverError(f"typing this text needs {wanted} on the device, and it is not installed")

    def _installed(self, what: str) -> bool:
        if what not in self._has:
            if what == "adb_keyboard":
                self._has[what] = ADB_KEYBOARD_IME in self._sh("ime list -s -a").text
            else:
                self._has[what] = (
                    f"package:{CLIPPER_PACKAGE}" in self._sh(f"pm list packages {CLIPPER_PACKAGE}").text
                )
        return self._has[what]

    def _use_adb_keyboard(self) -> None:
        current = self._sh("settings get secure default_input_method").text.strip()
        if current != ADB_KEYBOARD_IME:
            self._act(f"ime enable {ADB_KEYBOARD_IME} && ime set {ADB_KEYBOARD_IME}")
            self._previous_ime = self._previous_ime or current

    def _clear_focused(self) -> None:
        focused = [e for e in self.ui_elements() if e.editable and e.attributes.get("focused") == "true"]
        count = len(focused[0].value or "") if focused else 0
        if count:
            self._act("input keyevent 123 && input keyevent " + " ".join(["67"] * count))

    def _run_batched(self, commands: list[str]) -> None:
        batch: list[str] = []
        for cmd in commands:
            if batch and sum(len(c) + 4 for c in batch) + len(cmd) > _MAX_COMMAND_CHARS:
                self._act(" && ".join(batch))
                batch = []
            batch.append(cmd)
        if batch:
            self._act(" && ".join(batch))

    # -- apps ------------------------------------------------------------------------------

    def _open_app(self, name: str) -> str:
        packages = [
            ln.removeprefix("package:").strip() for ln in self._sh("pm list packages").text.splitlines()
        ]
        if apps.looks_like_package(name) and name in packages:
            return self._launch(name)
        labels = apps.labels_from_query(self._sh(apps.QUERY_LAUNCHABLE).text)
        package = apps.find_by_label(labels, name)
        if package is not None:
            return self._launch(package)
        self._act("input keyevent 3")
        icon = apps.find_on_launcher(self.ui_elements(), name)
        if icon is not None:
            c = icon.box.center
            self._act(f"input tap {round(c.x)} {round(c.y)}")
            return f"opened {name!r} from its launcher icon"
        package = apps.find_by_package_tail(packages, name)
        if package is not None:
            return self._launch(package)
        known = ", ".join(sorted(labels.values())) or "none with plain labels"
        raise DriverError(f"no app called {name!r} (launchable labels: {known}); try its package name")

    def _launch(self, package: str) -> str:
        apps.check_monkey(self._act(apps.monkey_command(package)), package)
        return f"opened {package}"

    # -- plumbing --------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise EnvCrashed("the Android environment was closed")

    def _sh(self, command: str) -> ShellResult:
        self._check_open()
        return self.link.shell(command, timeout=self._timeout, idempotent=True)

    def _act(self, command: str) -> str:
        self._check_open()
        result = self.link.shell(command, timeout=self._timeout, idempotent=False)
        if result.code != 0:
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
            raise DriverError(f"{command.split(maxsplit=1)[0]} failed with exit code {result.code}: {detail}")
        return result.text
