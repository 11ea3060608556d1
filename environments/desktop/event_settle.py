"""Settling by X events: no drawing since the input, and the clients that got it have
answered two pings.

This answers at once (about 1 ms per ping) for the common still case: the input changed
nothing on screen. It is used only where the events are evidence of that:

* every client that got the input (the window under the pointer and the one with the
  keyboard focus) answers pings and is **prompt**: shown, when first met, to draw its
  response to an exposure before it answers the second ping (Tk does; GTK 3, whose frame
  clock may put a paint off by a frame, often does not). Renderers that draw from another
  process (Chromium; Electron and Firefox work the same way) answer the ping first and
  draw a frame later; they, and clients that do not answer, are left to sampling;
* the pointer is not on a window manager's frame outside its client (the manager got the
  input; it answers no ping);
* no compositing manager runs (with one, a client's drawing reaches the screen when the
  compositor paints it);
* nothing at all was drawn on the screen between the input and the second answer.

Anything else returns ``None`` and the caller samples the screen as before. A client whose
drawing shows up right after such a still verdict (within :data:`LATE_S`) is treated as
not prompt from then on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from screenpilot.environments.base import SettleResult
from screenpilot.environments.desktop.drawn import Box, DrawWatch
from screenpilot.environments.desktop.windows import toplevel_of

LATE_S = 0.25
"""Drawing this soon after a still verdict counts as the client's late response to the input."""

PROBE_S = 0.05
"""How long a client has to answer the pings of its first check."""

EXPOSED = 8
"""Side of the square a client is told to draw again when it is first checked."""

PROBES = 2
"""Exposures a client must draw before its second ping's answer to count as prompt (one
could be drawn in time by chance, by a renderer whose pings were answered slowly)."""


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class EventSettle:
    """Decides from X events whether the screen is still after an input.

    Args:
        watch: The drawing counter and pinger.
        clock: Monotonic seconds.
    """

    def __init__(self, watch: DrawWatch, clock: Callable[[], float] = time.monotonic) -> None:
        self.watch = watch
        self._clock = clock
        self.prompt: dict[int, bool] = {}
        """Client windows checked so far: whether each draws before it answers a ping."""
        self._clients: dict[int, int] = {}
        self._mark = 0
        self._still: tuple[float, int, tuple[int, ...]] | None = None

    def mark(self) -> None:
        """Input is about to be sent: drawing from now on may be its effect."""
        self._mark = self.draws()

    def draws(self) -> int:
        """:meth:`DrawWatch.draws`, noting clients whose drawing came late."""
        count = self.watch.draws()
        if self.watch.gone:
            self._forget(self.watch.gone)
            self.watch.gone.clear()
        still = self._still
        if still is not None:
            recent = self._clock() - still[0] <= LATE_S
            if count > still[1] and recent:
                for client in still[2]:
                    self.prompt[client] = False
            if count > still[1] or not recent:
                self._still = None
        return count

    def _forget(self, windows: set[int]) -> None:
        """Drop what is known of windows that are gone: X reuses their ids."""
        for top in windows & self._clients.keys():
            windows = windows | {self._clients.pop(top)}
        for client in windows & self.prompt.keys():
            del self.prompt[client]

    def settle(self, ping_timeout_s: float) -> SettleResult | None:
        """A still verdict when the events prove one, else ``None`` (sample the screen).

        Args:
            ping_timeout_s: How long each ping may take to be answered.
        """
        start = self._clock()
        if self.watch.compositing():
            return None
        if self.draws() != self._mark:
            return None  # drawn already: sampling tells when it stops
        clients = self._input_clients()
        if clients is None:
            return None
        for client in clients:
            if client not in self.prompt:
                self.prompt[client] = self._probe(client)
        if not all(self.prompt[c] for c in clients):
            return None
        for _ in range(2):
            if not self.watch.ping(clients, ping_timeout_s):
                for client in clients:
                    self.prompt[client] = False
                return None
        count = self.draws()
        if count != self._mark:
            return None
        self._still = (self._clock(), count, clients)
        return SettleResult(stable=True, elapsed_s=self._clock() - start, checks=1)

    # -- the clients that got the input ---------------------------------------------------

    def _input_clients(self) -> tuple[int, ...] | None:
        """The client windows under the pointer and with the focus; ``None`` when the
        pointer is on a window manager's frame around its client (the manager got the
        input, and it answers no ping)."""
        display, root = self.watch.display, self.watch.root
        pointer = root.query_pointer()
        clients = set()
        top = getattr(pointer.child, "id", 0)
        if top:
            client = self._client(top)
            if client != top and not self._contains(client, pointer.root_x, pointer.root_y):
                return None
            clients.add(client)
        focused = toplevel_of(display.get_input_focus().focus, root.id)
        if focused is not None:
            clients.add(self._client(int(focused.id)))
        return tuple(sorted(clients))

    def _contains(self, client: int, x: int, y: int) -> bool:
        from Xlib.error import XError

        window = self.watch.display.create_resource_object("window", client)
        try:
            at = window.translate_coords(self.watch.root, x, y)
            geometry = window.get_geometry()
        except XError:
            return False
        return bool(0 <= at.x < geometry.width and 0 <= at.y < geometry.height)

    def _client(self, top: int) -> int:
        """The application's window in a top-level one: the top-level itself without a
        window manager, the child with ``WM_STATE`` inside a window manager's frame."""
        if top not in self._clients:
            self._clients[top] = self._find_client(top)
        return self._clients[top]

    def _find_client(self, top: int) -> int:
        from Xlib.error import XError

        display = self.watch.display
        state = display.intern_atom("WM_STATE")
        level = [display.create_resource_object("window", top)]
        try:
            for _ in range(3):
                for window in level:
                    if window.get_full_property(state, 0) is not None:
                        return int(window.id)
                level = [c for w in level for c in w.query_tree().children]
        except XError:
            pass
        return top

    # -- the first check of a client ------------------------------------------------------

    def _probe(self, client: int) -> bool:
        """Whether ``client`` draws an exposed area before it answers its second ping
        (:data:`PROBES` times in a row)."""
        from Xlib.error import XError

        display, root = self.watch.display, self.watch.root
        window = display.create_resource_object("window", client)
        try:
            geometry = window.get_geometry()
            pointer = root.query_pointer()
            at = window.translate_coords(root, pointer.root_x, pointer.root_y)
            x, y = at.x, at.y
            if not (0 <= x < geometry.width and 0 <= y < geometry.height):
                x, y = geometry.width // 2, geometry.height // 2
            target, tx, ty = _deepest(window, x, y)
            origin = target.translate_coords(root, 0, 0)
        except XError:
            return False
        ex, ey = max(0, tx - EXPOSED // 2), max(0, ty - EXPOSED // 2)
        exposed = (ex - origin.x, ey - origin.y, EXPOSED, EXPOSED)
        for _ in range(PROBES):
            before = self.draws()
            self.watch.expose(target.id, (ex, ey, EXPOSED, EXPOSED))
            if not (self.watch.ping([client], PROBE_S) and self.watch.ping([client], PROBE_S)):
                return False
            if not any(_overlaps(box, exposed) for box in self.watch.boxes_since(before)):
                return False
        return True


def _deepest(window: Any, x: int, y: int) -> tuple[Any, int, int]:
    """The innermost window of ``window`` at ``(x, y)`` and the point in its coordinates."""
    for _ in range(16):
        child = window.translate_coords(window, x, y).child
        if not getattr(child, "id", 0):
            break
        inner = child.translate_coords(window, x, y)
        window, x, y = child, inner.x, inner.y
    return window, x, y
