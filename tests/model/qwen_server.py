"""A real OpenAI-compatible chat-completions server on 127.0.0.1, written for the tests.

It checks every request the way a careful server would (a system turn carrying the tool
signatures, a screenshot of the expected size) and answers with whatever a responder
computes, usually from an environment's ground truth. Problems found in a request are
answered with HTTP 400 and collected in :attr:`QwenTestServer.errors`.
"""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image


@dataclass
class Reply:
    """What the server sends back for one request."""

    content: str = ""
    reasoning: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    """One request as the server saw it."""

    body: dict[str, Any]
    images: list[Image.Image]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body["messages"])

    @property
    def system(self) -> str:
        first = self.messages[0]
        return first["content"] if isinstance(first["content"], str) else ""

    def texts(self, role: str) -> list[str]:
        out = []
        for m in self.messages:
            if m["role"] != role:
                continue
            if isinstance(m["content"], str):
                out.append(m["content"])
            else:
                out.extend(p["text"] for p in m["content"] if p["type"] == "text")
        return out


Responder = Callable[[Request], Reply | str]


def decode_images(body: dict[str, Any]) -> list[Image.Image]:
    images: list[Image.Image] = []
    for m in body.get("messages", []):
        if isinstance(m.get("content"), list):
            for part in m["content"]:
                if part.get("type") == "image_url":
                    url = part["image_url"]["url"]
                    header, _, data = url.partition(",")
                    if not header.startswith("data:image/") or ";base64" not in header:
                        raise ValueError(f"image is not a base64 data URL: {header[:40]}")
                    images.append(Image.open(io.BytesIO(base64.b64decode(data))))
    return images


class QwenTestServer:
    """Serves ``POST /v1/chat/completions`` in a background thread.

    Args:
        responder: Computes each answer.
        expect_tool: Tool name whose signature must be in the system turn; ``None`` for a
            model that is not offered tools in ``<tools>`` (UI-TARS, a planner).
        expect_size: ``(width, height)`` the last image must have, or a callable giving it.
        expect_image: Whether every request must hold a screenshot (not a text planner's).
    """

    def __init__(
        self,
        responder: Responder,
        *,
        expect_tool: str | None = "computer_use",
        expect_size: Callable[[], tuple[int, int]] | None = None,
        expect_image: bool = True,
    ) -> None:
        self.responder = responder
        self.expect_tool = expect_tool
        self.expect_size = expect_size
        self.expect_image = expect_image
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> QwenTestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def check(self, request: Request) -> list[str]:
        problems = []
        if not request.messages or request.messages[0]["role"] != "system":
            problems.append("the first message is not a system turn")
        elif self.expect_tool and f'"name": "{self.expect_tool}"' not in request.system:
            problems.append(f"the system turn lacks the {self.expect_tool} signature")
        elif self.expect_tool and ("<tools>" not in request.system or "</tools>" not in request.system):
            problems.append("the system turn lacks <tools></tools>")
        if not request.images and self.expect_image:
            problems.append("no image in the request")
        elif self.expect_size is not None:
            want = self.expect_size()
            got = request.images[-1].size
            if got != want:
                problems.append(f"screenshot is {got[0]}x{got[1]}, expected {want[0]}x{want[1]}")
        return problems

    def _answer(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        try:
            request = Request(body=body, images=decode_images(body))
        except (ValueError, OSError, KeyError) as e:
            return 400, {}, {"error": {"message": f"bad request: {e}"}}
        with self._lock:
            self.requests.append(request)
            problems = self.check(request)
            if problems:
                self.errors.extend(problems)
                return 400, {}, {"error": {"message": "; ".join(problems)}}
            reply = self.responder(request)
        if isinstance(reply, str):
            reply = Reply(content=reply)
        if reply.status != 200:
            return reply.status, reply.headers, {"error": {"message": reply.content or "try later"}}
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.reasoning is not None:
            message["reasoning_content"] = reply.reasoning
        return (
            200,
            reply.headers,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", ""),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": 100 * len(request.messages),
                    "completion_tokens": max(1, len(reply.content) // 4),
                    "total_tokens": 0,
                },
            },
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {}, {"error": {"message": "not found"}})
                    return
                length = int(self.headers.get("content-length", "0"))
                try:
                    body = json.loads(self.rfile.read(length))
                except json.JSONDecodeError:
                    self._send(400, {}, {"error": {"message": "body is not JSON"}})
                    return
                self._send(*server._answer(body))

            def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                """Keep test output quiet."""

        return Handler
