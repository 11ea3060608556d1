"""A chat-completions JSON body with the images' data URLs spliced in as bytes.

A request replays the same screenshots step after step: megabytes of base64 that the JSON
encoder would scan for characters to escape (there are none) and copy again on every
request. Here each image stands in the message structure as a short placeholder, the
structure is encoded (escaping only the text), and the placeholders are replaced by the
data URLs' ASCII bytes, which the backend keeps per image between steps.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any


class SplicedBody:
    """Collects data URLs as placeholders, then encodes the body with them spliced in.

    Data URLs must be JSON-safe as they are: ``data:<type>;base64,`` and base64 characters
    only (what :func:`~screenpilot.model.backends.openai_http.data_url` makes).
    """

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)  # text that happens to hold a placeholder stays text
        self._urls: list[bytes] = []

    def placeholder(self, url: bytes) -> str:
        """A stand-in string for ``url`` in the message structure."""
        self._urls.append(url)
        return f"@@image-{len(self._urls) - 1}-{self._nonce}@@"

    def encode(self, body: dict[str, Any]) -> bytes:
        """``body`` as JSON bytes (ASCII: other characters escaped), data URLs in place."""
        text = json.dumps(body, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")
        pieces = re.split(rb"@@image-(\d+)-" + self._nonce.encode() + rb"@@", text)
        for i in range(1, len(pieces), 2):
            pieces[i] = self._urls[int(pieces[i])]
        return b"".join(pieces)
