"""The JSON body with data URLs spliced in is the JSON of the plain body."""

from __future__ import annotations

import base64
import json

from screenpilot.model.backends.json_body import SplicedBody


def test_spliced_body_reads_back_as_the_plain_body() -> None:
    urls = [f"data:image/png;base64,{base64.b64encode(bytes([i]) * 300).decode()}" for i in range(3)]
    body = SplicedBody()
    spliced = {
        "model": "m",
        "messages": [
            {"role": "system", "content": 'Stühle \ud800 \u2603 "quoted" @@image-0-x@@'},
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": body.placeholder(u.encode())}} for u in urls
                ]
                + [{"type": "image_url", "image_url": {"url": body.placeholder(urls[0].encode())}}],
            },
        ],
    }
    raw = body.encode(spliced)
    assert raw.isascii()
    sent = json.loads(raw)
    assert sent["messages"][0]["content"] == 'Stühle \ud800 \u2603 "quoted" @@image-0-x@@'
    assert [p["image_url"]["url"] for p in sent["messages"][1]["content"]] == [*urls, urls[0]]
