"""A scripted OpenAI-compatible server for ``ask``: it decodes the clip it is sent, checks
it the way Qwen3-VL's processor would take it, and answers from the pixels.

Each frame of the synthetic runs is one flat colour per step, so the server can tell which
step a frame shows; asked about a step, it answers with the time of the first frame
showing it, in Qwen's ``<t seconds>`` form.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from screenpilot.tools.video.reader import iter_frames
from tests.app.video.helpers import which_step


class VideoServer:
    """Serves ``/v1/chat/completions`` on 127.0.0.1; ``requests`` keeps what it checked."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.requests: list[dict[str, Any]] = []
        handler = type("Handler", (_Handler,), {"owner": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> VideoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, body: dict[str, Any]) -> str:
        """Check the request and answer from the clip's frames."""
        (msg,) = [m for m in body["messages"] if m["role"] == "user"]
        kinds = [p["type"] for p in msg["content"]]
        assert kinds == ["video_url", "text"], kinds
        url = msg["content"][0]["video_url"]["url"]
        assert url.startswith("data:video/mp4;base64,")
        fps = float(body["mm_processor_kwargs"]["fps"])
        with tempfile.TemporaryDirectory() as tmp:
            clip = Path(tmp) / "clip.mp4"
            clip.write_bytes(base64.b64decode(url.split(",", 1)[1]))
            frames = [(t, f.size, which_step(f, self.steps)) for t, f in iter_frames(clip)]
        times = [t for t, _, _ in frames]
        assert len(frames) % 2 == 0 and len(frames) >= 4, len(frames)  # whole temporal patches
        assert all(abs(t - k / fps) < 0.002 for k, t in enumerate(times)), (times, fps)
        (size,) = {s for _, s, _ in frames}
        assert size[0] % 32 == 0 and size[1] % 32 == 0, size
        tokens = size[0] * size[1] // (32 * 32)
        assert 128 <= tokens <= 768, tokens
        shown = [s for _, _, s in frames]
        assert shown == sorted(shown), shown  # frames in time order
        self.requests.append({"fps": fps, "times": times, "size": size, "shown": shown, "body": body})
        text = msg["content"][1]["text"]
        wanted = int(re.search(r"step (\d+)", text.split("Question:")[1]).group(1)) - 1  # type: ignore[union-attr]
        hits = [t for t, _, s in frames if s == wanted]
        if not hits:
            return "That step is not in the video."
        return f"Step {wanted + 1} appears at <{hits[0]:.1f} seconds> and stays until the next one."


class _Handler(BaseHTTPRequestHandler):
    owner: VideoServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        try:
            text, status = self.owner.answer(body), 200
        except AssertionError as e:
            text, status = f"bad request: {e}", 400
        reply = (
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
            }
            if status == 200
            else {"error": {"message": text, "type": "invalid_request_error"}}
        )
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
