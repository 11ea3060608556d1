"""A bare X client for the settle tests, drawing the way a multi-process renderer does.

It opens one top-level window, fills it with one colour and, when clicked, swaps the colour
of the whole window. With ``--delay-ms N`` it draws every response (to a click or an
exposure) N milliseconds after the event, from its timer, as Chromium or Electron draw a
frame after their UI thread has handled the input; ``--click-delay-ms`` delays only the
response to clicks (an application that reacts to input from a timer). With ``--no-ping`` it does not answer
``_NET_WM_PING``. It prints ``ready`` once its window is drawn.

Run: ``python x_client.py --geometry 400x300+100+100 [--delay-ms 30] [--no-ping]``
"""

from __future__ import annotations

import argparse
import select
import sys
import time
from typing import Any

from Xlib import X, display, protocol

COLOURS = (0xF0F0F0, 0x2060C0)


def answer(d: display.Display, root: Any, protocols: int, data: Any) -> None:
    """Send a ping back to the root window, as EWMH asks."""
    reply = protocol.event.ClientMessage(window=root, client_type=protocols, data=(32, data))
    root.send_event(reply, event_mask=X.SubstructureNotifyMask | X.SubstructureRedirectMask)
    d.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--geometry", default="400x300+100+100")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--click-delay-ms", type=float, default=None)
    parser.add_argument("--no-ping", action="store_true")
    args = parser.parse_args()
    size, x, y = args.geometry.split("+")[0], *map(int, args.geometry.split("+")[1:])
    width, height = map(int, size.split("x"))
    d = display.Display()
    screen = d.screen()
    window = screen.root.create_window(
        x, y, width, height, 0, screen.root_depth,
        background_pixel=COLOURS[0],
        event_mask=X.ExposureMask | X.ButtonPressMask | X.KeyPressMask,
    )  # fmt: skip
    ping = d.intern_atom("_NET_WM_PING")
    protocols = d.intern_atom("WM_PROTOCOLS")
    supported = [d.intern_atom("WM_DELETE_WINDOW")] + ([] if args.no_ping else [ping])
    window.change_property(protocols, d.intern_atom("ATOM"), 32, supported)
    window.set_wm_name("x client")
    gc = window.create_gc(foreground=COLOURS[0])
    colour = 0
    due: float | None = None
    ready = False
    window.map()
    d.flush()

    def draw() -> None:
        gc.change(foreground=COLOURS[colour])
        window.fill_rectangle(gc, 0, 0, width, height)
        d.flush()

    while True:
        timeout = None if due is None else max(0.0, due - time.monotonic())
        if not d.pending_events():
            select.select([d], [], [], timeout)
        if due is not None and time.monotonic() >= due:
            due = None
            draw()
            if not ready:
                ready = True
                print("ready", flush=True)
        while d.pending_events():
            event = d.next_event()
            if event.type == X.ButtonPress:
                colour = 1 - colour
                if args.click_delay_ms is not None:
                    due = time.monotonic() + args.click_delay_ms / 1000
                    continue
            elif event.type == X.ClientMessage:
                fmt, data = event.data
                if fmt == 32 and data[0] == ping and not args.no_ping:
                    answer(d, screen.root, protocols, data)
                continue
            elif event.type != X.Expose:
                continue
            due = time.monotonic() + args.delay_ms / 1000 if due is None else due


if __name__ == "__main__":
    sys.exit(main())
