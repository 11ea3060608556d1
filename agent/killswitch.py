"""The kill switch: an event, an abort file and signals, checked before every action."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

from screenpilot.tools.errors import Aborted


class KillSwitch:
    """Stops a run from outside: another thread, a signal handler or a file on disk.

    Once tripped it stays tripped. :meth:`check` raises :class:`~tools.errors.Aborted`,
    which the agent never retries or swallows.
    """

    def __init__(self, abort_file: Path | None = None) -> None:
        self._event = threading.Event()
        self._reason = ""
        self.abort_file = abort_file

    def trip(self, reason: str = "kill switch") -> None:
        """Abort the run at the next check."""
        self._reason = self._reason or reason
        self._event.set()

    @property
    def tripped(self) -> bool:
        if not self._event.is_set() and self.abort_file is not None and self.abort_file.exists():
            self.trip(f"abort file {self.abort_file} exists")
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Aborted` when tripped."""
        if self.tripped:
            raise Aborted(self._reason)

    def sleep(self, seconds: float) -> None:
        """Sleep, waking early (and raising) when tripped."""
        deadline = max(0.0, seconds)
        step = 0.1 if self.abort_file is not None else deadline
        waited = 0.0
        while waited < deadline:
            chunk = min(step, deadline - waited) or deadline
            if self._event.wait(chunk):
                break
            waited += chunk
            if self.tripped:
                break
        self.check()

    def install_signal_handlers(self) -> None:
        """Trip on SIGINT and SIGTERM (main thread only). A second SIGINT kills as usual."""

        def handler(signum: int, frame: FrameType | None) -> None:
            if self._event.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self.trip(f"received {signal.Signals(signum).name}")

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
