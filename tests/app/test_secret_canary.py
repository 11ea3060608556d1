"""A canary password through a real run: the README's ``--endpoint … --secret`` command line,
a real page in Chromium that echoes the password back in every encoding a page can, and a
real OpenAI-compatible server. The password is typed, and no file the run, the report or the
workflow compiler writes, and no prompt the server receives, holds it in any form."""

from __future__ import annotations

import base64
import html
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest

from screenpilot.app.cli.main import main
from tests.model.oracle import Move, Oracle
from tests.model.qwen_server import QwenTestServer, Request

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CANARY = 'K9canary!&"<é x'

LOGIN = """<!doctype html><meta charset="utf-8"><title>Log in</title>
<style>input,button{position:absolute;left:100px;width:300px;height:40px;font-size:18px}</style>
<form action="/welcome" method="get">
<input id="user" name="user" style="top:100px" autocomplete="off">
<input id="pw" name="pw" type="password" style="top:180px" autocomplete="off">
<button id="go" style="top:260px">Log in</button></form>"""

TARGETS = {"user": (250, 120), "pw": (250, 200), "go": (250, 280)}


def welcome(pw: str) -> str:
    """A careless page: the password in the title, the text, an attribute, a JSON block,
    a base64 token and a link that carries it URL-encoded."""
    token = base64.b64encode(f"alice:{pw}".encode()).decode()
    data = json.dumps({"user": "alice", "pw": pw})
    return (
        f"<!doctype html><meta charset='utf-8'><title>Welcome {html.escape(pw)}</title>"
        f"<p id='echo' data-pw='{html.escape(pw)}'>Your password is {html.escape(pw)}</p>"
        f"<script type='application/json' id='state'>{data}</script>"
        f"<a id='again' href='/welcome?user=alice&amp;pw={quote_plus(pw)}&amp;t={token}'>again</a>"
        f"<p>token {token}</p><button id='done'>Done</button>"
    )


class Site:
    """The two pages; records what the password field sent."""

    def __init__(self) -> None:
        self.received: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/welcome":
                    pw = parse_qs(parts.query).get("pw", [""])[0]
                    owner.received.append(pw)
                    body = welcome(pw)
                else:
                    body = LOGIN
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                """quiet"""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/login"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def plan() -> Any:
    moves: list[Move] = [
        ("left_click", {}, TARGETS["user"], "Focus the user name."),
        ("type", {"text": "alice"}, None, "Type it."),
        ("left_click", {}, TARGETS["pw"], "Focus the password."),
        ("type", {"text": "{{secret:password}}"}, None, "Type the password."),
        ("left_click", {}, TARGETS["go"], "Log in."),
        ("terminate", {"status": "success"}, None, "Logged in."),
    ]
    steps = iter(moves)
    return lambda: next(steps)


def encodings(value: str) -> dict[str, bytes]:
    """The canary as a leak would carry it (base64 at all three byte alignments)."""
    raw = value.encode()
    forms = {
        "plain": value,
        "url": quote(value, safe=""),
        "url-lower": quote(value, safe="").lower(),
        "url-plus": quote_plus(value),
        "html": html.escape(value),
        "html-text": html.escape(value, quote=False),
        "json": json.dumps(value)[1:-1],
        "json-ascii": json.dumps(value, ensure_ascii=True)[1:-1],
    }
    for shift in range(3):
        core = base64.b64encode(b"\0" * shift + raw).decode()[4 if shift else 0 :]
        forms[f"base64+{shift}"] = core[: len(core) - len(core) % 4 - 4]
    return {k: v.encode() for k, v in forms.items()}


def test_canary_is_typed_and_leaks_nowhere(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENPILOT_SECRET_PASSWORD", CANARY)
    out = tmp_path / "runs"
    with QwenTestServer(Oracle(plan(), (1280, 800))) as server:
        code = main(
            [
                "run", "log in as alice", "--url", site.url, "--allow-domain", "127.0.0.1",
                "--endpoint", server.url, "--model", "Qwen/Qwen3-VL-8B-Instruct",
                "--secret", "password", "--out", str(out), "--quiet",
            ]
        )  # fmt: skip
        prompts: list[Request] = list(server.requests)
    assert code == 0
    assert site.received == [CANARY]  # the password was typed and submitted
    run_dir = next(out.iterdir())
    assert main(["report", str(run_dir), "--quiet"]) == 0
    assert main(["workflow", "from-run", str(run_dir), "-o", str(tmp_path / "replay.yaml")]) == 0

    forms = encodings(CANARY)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "report.html" for p in files) and any(p.suffix == ".png" for p in files)
    leaks = [(p.name, k) for p in files for k, f in forms.items() if f in p.read_bytes()]
    assert leaks == []
    bodies = [json.dumps(r.body, ensure_ascii=False).encode() for r in prompts]
    assert [k for b in bodies for k, f in forms.items() if f in b] == []
    assert any(b"[secret:password]" in b for b in bodies)  # the page's echo reached the model masked
