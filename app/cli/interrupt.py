"""Ctrl+C and SIGTERM on the command line.

Verbs that drive an agent trip its :class:`~screenpilot.agent.killswitch.KillSwitch`: the
run stops at its next check, records ``aborted`` and the verb exits 130. Everything else
(and a verb blocked waiting on workers) gets :func:`raise_on_signals`: the first signal
raises :class:`KeyboardInterrupt` where the program is, so ``finally`` blocks close
browsers and workers; the top-level handler turns it into one line and exit 130.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screenpilot.agent.killswitch import KillSwitch


def raise_on_signals(kill: KillSwitch | None = None) -> None:
    """SIGINT and SIGTERM raise :class:`KeyboardInterrupt` (after tripping ``kill``)."""
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if kill is not None:
            kill.trip(f"received {signal.Signals(signum).name}")
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def cli_kill_switch(abort_file: Path | None = None) -> KillSwitch:
    """A kill switch tripped by SIGINT, SIGTERM and ``abort_file``."""
    from screenpilot.agent.killswitch import KillSwitch

    kill = KillSwitch(abort_file)
    if threading.current_thread() is threading.main_thread():
        kill.install_signal_handlers()
    return kill
