"""The simulated phone: state, input handling and screen capture, behind one lock."""

from __future__ import annotations

import io
import struct
import threading
import time

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.android.simulator.catalog import (
    ADB_KEYBOARD,
    APPS,
    LATIN_IME,
    LAUNCHER,
    app_by_package,
)
from screenpilot.environments.android.simulator.keycodes import CHARS
from screenpilot.environments.android.simulator.layout import (
    SCREEN_ACTIVITIES,
    SCREEN_PACKAGES,
    Metrics,
    Node,
    build,
    hit_test,
    settings_limits,
)
from screenpilot.environments.android.simulator.render import Renderer
from screenpilot.environments.android.simulator.state import SimState
from screenpilot.environments.android.simulator.xmldump import dump_xml

_SCREEN_OF_PACKAGE = {
    "com.android.settings": "settings",
    "com.example.form": "form",
    "com.example.camera": "camera",
    "com.android.deskclock": "clock",
}
_LONG_PRESS_MS = 500
_TOUCH_SLOP = 16


class SimConfig(BaseModel):
    """How the simulated phone looks and what is installed on it.

    Attributes:
        serial: Serial the device is listed under (USB style).
        width: Portrait width in device pixels.
        height: Portrait height in device pixels.
        density: Screen density in dpi (``wm density``).
        adb_keyboard: Whether the ADB Keyboard IME is installed (non-ASCII typing).
        clipper: Whether the Clipper app is installed (clipboard through a broadcast).
        time_scale: Multiplier on the time ``input swipe`` blocks (1 = as long as asked).
        network_address: When set, the device is reachable only after ``adb connect`` to
            this address, under that address as its serial (a device on Wi-Fi).
    """

    model_config = ConfigDict(frozen=True)

    serial: str = "emulator-5554"
    width: int = Field(default=720, ge=240, le=4096)
    height: int = Field(default=1600, ge=320, le=4096)
    density: int = Field(default=320, ge=120, le=640)
    adb_keyboard: bool = False
    clipper: bool = False
    time_scale: float = Field(default=1.0, ge=0.0, le=1.0)
    network_address: str | None = None


class SimDevice:
    """A phone with a launcher and a few apps. Thread safe: every entry point takes the lock."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.state = SimState()
        self.lock = threading.RLock()
        self._renderer = Renderer()
        self._frame: tuple[tuple[int, int], Image.Image] | None = None
        self._encodings: dict[str, tuple[Image.Image, bytes]] = {}

    # -- screen ----------------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        """Current (width, height) in device pixels, rotation applied."""
        w, h = self.config.width, self.config.height
        return (h, w) if self.state.rotation % 2 else (w, h)

    def tree(self) -> Node:
        with self.lock:
            return build(self.state, *self.size)

    def frame(self) -> Image.Image:
        """The current screen; cached until the state changes."""
        with self.lock:
            key = (self.state.version, self.state.rotation)
            if self._frame is None or self._frame[0] != key:
                self._frame = (key, self._renderer.render(self.tree(), *self.size))
            return self._frame[1]

    def screencap_png(self) -> bytes:
        return self._encoded("png")

    def screencap_raw(self) -> bytes:
        """``screencap`` without ``-p``: width, height, format (1 = RGBA_8888), colour space, pixels."""
        return self._encoded("raw")

    def _encoded(self, kind: str) -> bytes:
        # cached per frame: the simulator should cost tests as little as possible
        with self.lock:
            img = self.frame()
            hit = self._encodings.get(kind)
            if hit is not None and hit[0] is img:
                return hit[1]
            if kind == "png":
                buf = io.BytesIO()
                img.save(buf, format="PNG", compress_level=1)
                data = buf.getvalue()
            else:
                data = struct.pack("<IIII", img.width, img.height, 1, 0) + img.convert("RGBA").tobytes()
            self._encodings[kind] = (img, data)
            return data

    def dump(self) -> str:
        with self.lock:
            return dump_xml(self.tree(), self.state.rotation)

    def focus_line(self) -> str:
        with self.lock:
            if self.state.dialog == "anr":
                # the system's dialog window is named after the app, with no component
                component = f"Application Not Responding: {SCREEN_PACKAGES[self.state.screen]}"
            elif self.state.dialog:
                component = (
                    "com.google.android.permissioncontroller/"
                    "com.android.permissioncontroller.permission.ui.GrantPermissionsActivity"
                )
            else:
                component = SCREEN_ACTIVITIES[self.state.screen]
        return f"  mCurrentFocus=Window{{3f2a1b u0 {component}}}"

    # -- test helpers ----------------------------------------------------------------------

    def show_permission_dialog(self) -> None:
        """Pop the camera permission dialog over whatever is on screen."""
        with self.lock:
            self.state.dialog = "camera"
            self.state.touch("dialog shown")

    def show_anr_dialog(self) -> None:
        """Pop "<app> isn't responding" over the app in front."""
        with self.lock:
            self.state.dialog = "anr"
            self.state.touch("anr shown")

    def set_rotation(self, rotation: int) -> None:
        with self.lock:
            self.state.rotation = rotation % 4
            self.state.touch(f"rotation {rotation}")

    # -- input -----------------------------------------------------------------------------

    def tap(self, x: int, y: int) -> None:
        with self.lock:
            self.state.touch(f"tap {x} {y}")
            node = hit_test(self.tree(), x, y, dialog=self.state.dialog)
            if node is not None:
                self._activate(node)

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        # input swipe blocks for its duration on a device; so does the simulator (scaled)
        time.sleep(duration_ms / 1000 * self.config.time_scale)
        with self.lock:
            self.state.touch(f"swipe {x1} {y1} {x2} {y2} {duration_ms}")
            if abs(x2 - x1) <= _TOUCH_SLOP and abs(y2 - y1) <= _TOUCH_SLOP:
                if duration_ms >= _LONG_PRESS_MS:
                    self._long_press(x1, y1)
                else:
                    self.tap_no_log(x1, y1)
                return
            if self.state.screen == "settings" and self.state.dialog is None:
                _, limit = settings_limits(Metrics(*self.size))
                offset = self.state.scroll.get("settings", 0) + (y1 - y2)
                self.state.scroll["settings"] = max(0, min(limit, offset))

    def tap_no_log(self, x: int, y: int) -> None:
        node = hit_test(self.tree(), x, y, dialog=self.state.dialog)
        if node is not None:
            self._activate(node)

    def _long_press(self, x: int, y: int) -> None:
        self.state.events.append(f"long_press {x} {y}")
        node = hit_test(self.tree(), x, y, dialog=self.state.dialog)
        if node is not None and node.action.startswith("focus:"):
            self.state.focus = node.action.partition(":")[2]
            self.state.select_all = True

    def text(self, text: str) -> None:
        with self.lock:
            self.state.touch(f"text {text}")
            self._insert(text)

    def _insert(self, text: str) -> None:
        s = self.state
        if s.focus is None or s.dialog is not None:
            return
        if s.select_all:
            s.fields[s.focus] = ""
            s.select_all = False
        s.fields[s.focus] += text

    def keyevent(self, code: int, *, longpress: bool = False) -> None:
        with self.lock:
            self.state.touch(f"key {code}{' long' if longpress else ''}")
            self._key(code)

    def keycombination(self, codes: list[int]) -> None:
        with self.lock:
            self.state.touch("keycombination " + " ".join(map(str, codes)))
            if 113 in codes and 29 in codes and self.state.focus:
                self.state.select_all = True

    def _key(self, code: int) -> None:
        s = self.state
        if code == 4:
            self._back()
        elif code == 3:
            s.dialog, s.focus, s.stack = None, None, ["launcher"]
        elif code == 187:
            s.focus = None
            if s.screen != "recents":
                s.stack.append("recents")
        elif code == 66:
            self._enter()
        elif code == 67 and s.focus:
            s.fields[s.focus] = "" if s.select_all else s.fields[s.focus][:-1]
            s.select_all = False
        elif code in (122, 123):
            s.select_all = False
        elif code == 279:
            self._insert(s.clipboard)
        elif code in CHARS:
            self._insert(CHARS[code])

    def _back(self) -> None:
        s = self.state
        if s.dialog == "anr":
            s.dialog = None  # Back on the dialog keeps waiting, as Wait does
        elif s.dialog is not None:
            s.dialog = None
            s.permissions["camera"] = "denied"
        elif len(s.stack) > 1:
            s.stack.pop()
            s.focus = None

    def _enter(self) -> None:
        s = self.state
        if s.focus == "name":
            s.focus = "message"
        elif s.focus == "message":
            self._submit()

    def _submit(self) -> None:
        s = self.state
        s.submitted.append(dict(s.fields))
        s.focus = None

    def _activate(self, node: Node) -> None:
        s = self.state
        verb, _, arg = node.action.partition(":")
        if verb == "open":
            self.launch(arg)
        elif verb == "toggle":
            s.toggles[arg] = not s.toggles.get(arg, False)
        elif verb == "open_about":
            s.stack.append("about")
        elif verb == "focus":
            s.focus, s.select_all = arg, False
        elif verb == "submit":
            self._submit()
        elif verb == "perm":
            s.permissions["camera"] = {"deny": "denied", "allow_one_time": "granted once"}.get(arg, "granted")
            s.dialog = None
        elif verb == "anr":
            s.dialog = None
            if arg == "close":
                s.focus, s.stack = None, ["launcher"]
        elif verb == "photo":
            if s.permissions.get("camera", "").startswith("granted"):
                s.photos += 1
        elif verb == "key":
            self._key(int(arg))
        elif verb == "clear_recents":
            s.recents.clear()
            s.stack = ["launcher"]

    # -- apps ------------------------------------------------------------------------------

    def launch(self, package: str) -> bool:
        """Bring ``package`` to the front; ``False`` when it is not installed."""
        with self.lock:
            app = app_by_package(package)
            if app is None:
                return False
            s = self.state
            s.touch(f"launch {package}")
            s.focus = None
            if app is LAUNCHER:
                s.stack = ["launcher"]
                return True
            screen = _SCREEN_OF_PACKAGE[package]
            s.stack = [x for x in s.stack if x not in (screen, "recents")] + [screen]
            if screen == "settings" and "about" in s.stack:
                s.stack.remove("about")
            s.recents = [p for p in s.recents if p != package] + [package]
            if screen == "camera" and "camera" not in s.permissions:
                s.dialog = "camera"
            return True

    # -- IME and clipboard -----------------------------------------------------------------

    def imes(self) -> list[str]:
        return [LATIN_IME, ADB_KEYBOARD] if self.config.adb_keyboard else [LATIN_IME]

    def set_ime(self, ime: str) -> bool:
        with self.lock:
            if ime not in self.imes():
                return False
            self.state.ime = ime
            return True

    def adb_keyboard_input(self, text: str) -> bool:
        """What ADB Keyboard does with its broadcast: type only while it is the current IME."""
        with self.lock:
            if self.state.ime != ADB_KEYBOARD:
                return False
            self.state.touch(f"ime {text}")
            self._insert(text)
            return True

    def set_clipboard(self, text: str) -> None:
        with self.lock:
            self.state.clipboard = text
            self.state.touch("clipboard set")

    @property
    def packages(self) -> list[str]:
        extra = []
        if self.config.adb_keyboard:
            extra.append("com.android.adbkeyboard")
        if self.config.clipper:
            extra.append("ca.zgrs.clipper")
        return [LAUNCHER.package, *(a.package for a in APPS), *extra]
