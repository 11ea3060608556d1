"""What the X server has drawn, and whether a client has handled the events sent to it.

Two X facilities, on a connection of their own:

* **DAMAGE** on the root window reports every drawing request the server carries out on
  the screen (a client's, or the server's own when windows map, move or vanish). The
  driver counts those reports: an unchanged count after a round trip means nothing has
  been drawn since, without looking at a pixel. A report says something was drawn, not
  that pixels differ (a redraw of the same pixels counts).
* **_NET_WM_PING** (EWMH): a client answers the ping by sending it back to the root
  window. The server hands a client its events in order, so the answer proves the client
  has read the input sent before the ping; a second ping, sent after the first answer,
  proves it has been back to its event loop (where toolkits run their pending redraws).
  Drawing the client did before answering is reported before the answer arrives: the
  server carries out a client's requests in order.
"""

from __future__ import annotations

import select
import time
from collections.abc import Iterable
from typing import Any

from screenpilot.tools.errors import DriverError

Box = tuple[int, int, int, int]
"""Left, top, width, height in root-window pixels."""


class DrawWatch:
    """Counts drawing on one X screen and pings clients, on its own X connection.

    Raises:
        DriverError: When the display cannot be opened or lacks the DAMAGE extension.
    """

    def __init__(self, display: str | None) -> None:
        from Xlib import X
        from Xlib.display import Display
        from Xlib.error import DisplayError
        from Xlib.ext import damage

        try:
            self.display: Any = Display(display)
        except DisplayError as e:
            raise DriverError(f"cannot open display {display!r}: {e}") from e
        if not self.display.has_extension("DAMAGE"):
            self.display.close()
            raise DriverError("the X server has no DAMAGE extension")
        # Requests about other clients' windows fail when a window has just gone; such
        # errors come back asynchronously and mean only that no answer will come.
        self.display.set_error_handler(lambda *_: None)
        self.root = self.display.screen().root
        self.display.damage_query_version()
        self._damage = self.root.damage_create(damage.DamageReportNonEmpty)
        # Answers to pings are sent to the root window for SubstructureNotify listeners.
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self._ping = self.display.intern_atom("_NET_WM_PING")
        self._protocols = self.display.intern_atom("WM_PROTOCOLS")
        self._compositor = self.display.intern_atom(f"_NET_WM_CM_S{self.display.get_default_screen()}")
        self._serial = 0
        self._answered: set[tuple[int, int]] = set()
        self.count = 0
        """Drawing reports read so far."""
        self.boxes: list[tuple[int, Box]] = []
        """The area each report covers, with the count it brought (the last 64)."""
        self.gone: set[int] = set()
        """Top-level windows destroyed or reparented since the caller last emptied this
        (their ids may come back as another client's windows)."""

    def fileno(self) -> int:
        return int(self.display.fileno())

    def draws(self) -> int:
        """The drawing reports the server has made up to now.

        One round trip, or more when there were reports: the region they left is emptied
        and a round trip makes sure the server has done so before this returns, so any
        drawing after the return is reported again.
        """
        for _ in range(4):
            self.display.sync()
            if not self._read():
                break
        return self.count

    def compositing(self) -> bool:
        """Whether a compositing manager runs: windows then reach the screen when it paints
        them, after their clients have drawn."""
        return bool(self.display.get_selection_owner(self._compositor))

    def ping(self, windows: Iterable[int], timeout_s: float) -> bool:
        """Ping each client window once and wait for all answers (at most ``timeout_s``)."""
        from Xlib import protocol

        self._serial += 1
        waiting = set()
        for wid in windows:
            window = self.display.create_resource_object("window", wid)
            data = [self._ping, self._serial, wid, 0, 0]
            event = protocol.event.ClientMessage(window=window, client_type=self._protocols, data=(32, data))
            window.send_event(event, event_mask=0)
            waiting.add((self._serial, wid))
        self.display.flush()
        deadline = time.monotonic() + timeout_s
        while True:
            self._read()
            if waiting <= self._answered:
                self._answered -= waiting
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                self._answered.clear()
                return False
            select.select([self.fileno()], [], [], left)

    def expose(self, window: int, box: Box) -> None:
        """Tell a client the area ``box`` (window coordinates) of ``window`` needs drawing
        again, as the server does when a window above it goes away."""
        from Xlib import X, protocol

        target = self.display.create_resource_object("window", window)
        x, y, w, h = box
        event = protocol.event.Expose(window=target, x=x, y=y, width=w, height=h, count=0)
        target.send_event(event, event_mask=X.ExposureMask)
        self.display.flush()

    def boxes_since(self, count: int) -> list[Box]:
        return [box for n, box in self.boxes if n > count]

    def _read(self) -> bool:
        """Take in the events received; whether there were drawing reports."""
        from Xlib import X

        display = self.display
        before = self.count
        while display.pending_events():
            event = display.next_event()
            if event.type in (X.DestroyNotify, X.ReparentNotify):
                self.gone.add(int(event.window.id))
            elif event.type == X.ClientMessage:
                fmt, data = event.data
                if fmt == 32 and data[0] == self._ping:
                    self._answered.add((int(data[1]), int(data[2])))
            elif event.__class__.__name__ == "DamageNotify":
                self.count += 1
                area = event.area
                self.boxes.append((self.count, (area.x, area.y, area.width, area.height)))
                del self.boxes[:-64]
                # Empty the damage region so the next drawing is reported again.
                display.damage_subtract(self._damage)
        if self.count == before:
            return False
        display.flush()
        return True

    def close(self) -> None:
        self.display.close()
