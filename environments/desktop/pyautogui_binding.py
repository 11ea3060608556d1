"""pyautogui bound to one driver's settings and display, only for the duration of a call.

pyautogui keeps its settings (``FAILSAFE``, ``PAUSE``, ``FAILSAFE_POINTS``) and, on X11,
its display connection and keycode table as module globals set at import. Two drivers
(or a driver and a user's own script) would fight over them, so the driver owns its
values and installs them only inside :meth:`PyAutoGuiBinding.bound`, restoring the
previous ones afterwards. Calls are made from the environment's own thread; the binding
is not meant to be entered by two threads at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from screenpilot.environments.desktop.capture import NO_DISPLAY_HINT
from screenpilot.tools.errors import Aborted, ConfigError, DriverError

_SETTINGS = ("FAILSAFE", "PAUSE", "FAILSAFE_POINTS")
_X11_GLOBALS = ("_display", "keyboardMapping")


def import_pyautogui(display: str | None) -> ModuleType:
    """Import pyautogui; on X11 its import opens ``$DISPLAY``, so point that at ``display``.

    The environment variable is set only for the import and restored right after: it is
    the one place pyautogui reads it.
    """
    if "pyautogui" in sys.modules:
        return sys.modules["pyautogui"]
    previous = os.environ.get("DISPLAY")
    linux = sys.platform.startswith("linux")
    if linux and display:
        os.environ["DISPLAY"] = display
    try:
        import pyautogui
    except Exception as e:  # Xlib raises its own error types while connecting at import
        raise ConfigError(
            f"pyautogui could not start on display {display or previous!r}: {e}{NO_DISPLAY_HINT}"
        ) from e
    finally:
        if linux and display:
            if previous is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = previous
    return pyautogui


class PyAutoGuiBinding:
    """A driver's pyautogui settings and (on X11) its own display connection.

    Args:
        display: X11 display name; ``None`` uses the one pyautogui opened at import.
        failsafe: Value of ``pyautogui.FAILSAFE`` during calls.
        pause_s: Value of ``pyautogui.PAUSE`` during calls.
    """

    def __init__(self, display: str | None, *, failsafe: bool, pause_s: float) -> None:
        self.pg: Any = import_pyautogui(display)
        self.failsafe = failsafe
        self._pause = pause_s
        self._x11: dict[str, Any] = {}
        if sys.platform.startswith("linux"):
            self._x11 = _x11_globals(self.pg, display)
        with self.bound() as pg:
            width, height = pg.size()
        self.failsafe_points = [(0, 0), (0, height - 1), (width - 1, 0), (width - 1, height - 1)]
        """Corners of the whole input space: the pointer there trips the fail-safe."""

    @contextmanager
    def bound(self) -> Iterator[Any]:
        """Install this driver's settings, yield pyautogui, restore the previous settings.

        Raises:
            Aborted: When pyautogui's fail-safe fired (the pointer is in a corner).
            DriverError: For other pyautogui failures.
        """
        pg: Any = self.pg
        platform_module = pg.platformModule
        saved = {name: getattr(pg, name) for name in _SETTINGS}
        saved_x11 = {name: getattr(platform_module, name) for name in self._x11}
        pg.FAILSAFE = self.failsafe
        pg.PAUSE = self._pause
        if hasattr(self, "failsafe_points"):
            pg.FAILSAFE_POINTS = list(self.failsafe_points)
        for name, value in self._x11.items():
            setattr(platform_module, name, value)
        try:
            yield pg
        except pg.FailSafeException as e:
            raise Aborted("pyautogui fail-safe: the mouse was moved into a screen corner") from e
        except pg.PyAutoGUIException as e:
            raise DriverError(f"pyautogui failed: {e}") from e
        finally:
            for name, value in saved.items():
                setattr(pg, name, value)
            for name, value in saved_x11.items():
                setattr(platform_module, name, value)

    def sync(self) -> None:
        """Make a round trip on the input connection (X11): every event sent so far has
        been processed by the server when this returns. A no-op elsewhere."""
        display = self._x11.get("_display")
        if display is not None:
            display.sync()

    def close(self) -> None:
        display = self._x11.get("_display")
        if display is not None and display is not getattr(self.pg.platformModule, "_display", None):
            display.close()
        self._x11 = {}


def _x11_globals(pg: ModuleType, display: str | None) -> dict[str, Any]:
    """This display's connection and a keycode table translated onto it."""
    from Xlib.display import Display
    from Xlib.error import DisplayError

    module = pg.platformModule
    imported = module._display
    if display is None or imported.get_display_name() == display:
        return {"_display": imported, "keyboardMapping": module.keyboardMapping}
    try:
        own = Display(display)
    except DisplayError as e:
        raise ConfigError(f"cannot open display {display!r}: {e}{NO_DISPLAY_HINT}") from e
    mapping: dict[str, int | None] = {}
    for key, code in module.keyboardMapping.items():
        # The same physical key on our display: keycode -> unshifted keysym -> keycode.
        keysym = imported.keycode_to_keysym(code, 0) if code else 0
        mapping[key] = own.keysym_to_keycode(keysym) if keysym else None
    return {"_display": own, "keyboardMapping": mapping}
