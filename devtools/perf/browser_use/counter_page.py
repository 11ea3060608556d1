"""The page both agents click: one button that adds one to a counter, served on 127.0.0.1.

The counter is the evidence: after its run each side reads ``#count`` from the page it
drove, and the driver checks that it equals the number of clicks asked for. The page makes
no requests after loading, so neither agent waits on the network. Every click also grows a
large bar, so the screen visibly changes per click: screenpilot's loop detection (on by
default) ends a run that repeats one action on a screen whose perceptual hash stays the
same, and a counter's digits alone do not change that hash.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>Counter</title></head>
<body style="margin:0;font:20px sans-serif;background:#fafafa">
<h1 style="margin:40px">Counter</h1>
<button id="add" type="button" onclick="add()"
  style="position:absolute;left:40px;top:140px;width:200px;height:60px;font-size:22px">Add one</button>
<p style="position:absolute;left:40px;top:230px;margin:0">Count:
  <span id="count" style="font-size:64px">0</span></p>
<div id="bar" style="position:absolute;left:40px;top:340px;width:0;height:400px;background:#234"></div>
<script>
function add() {
  const c = document.getElementById("count");
  const n = Number(c.textContent) + 1;
  c.textContent = String(n);
  document.getElementById("bar").style.width = (n * 110) + "px";
}
</script>
</body></html>
"""

BUTTON_CENTER = (140, 170)
"""The button's centre in CSS pixels (left 40 + 200 / 2, top 140 + 60 / 2)."""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextmanager
def serve_counter_page() -> Iterator[str]:
    """Serves the page on an ephemeral port of 127.0.0.1 and yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
