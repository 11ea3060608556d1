"""A hermetic desktop environment: the desktop driver on a private Xvfb it owns.

Nothing of the user's session is touched: the X server is started for the environment,
on a free display number, and stopped when the environment closes. It needs the ``Xvfb``
program.
"""

from __future__ import annotations

from screenpilot.environments.desktop.config import DesktopConfig
from screenpilot.environments.desktop.env import DesktopEnvironment
from screenpilot.environments.desktop.xvfb import PrivateDisplay


class PrivateDesktop(DesktopEnvironment):
    """A :class:`DesktopEnvironment` on its own X server; closing one stops both.

    Args:
        display: A started private display, owned from now on.
        config: Driver options (``display`` must be the private display's).
    """

    def __init__(self, display: PrivateDisplay, config: DesktopConfig) -> None:
        self.private_display = display
        super().__init__(config)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.private_display.stop()


def private_display() -> PrivateDesktop:
    """The registry's hermetic factory for ``desktop``: a 1280x800 private Xvfb.

    There is no abort hotkey (grabbing keys on a private server protects no one) and no
    pause between inputs.
    """
    display = PrivateDisplay.start(1280, 800)
    try:
        return PrivateDesktop(display, DesktopConfig(display=display.name, pause_s=0.0, abort_hotkey=()))
    except BaseException:
        display.stop()
        raise
