"""A question about a video over an OpenAI-compatible server (vLLM serving Qwen3-VL).

The clip travels as a ``video_url`` content part holding an MP4 data URL, the form vLLM
accepts for video; ``mm_processor_kwargs`` tells the server's processor the clip's frame
rate so that it keeps every frame the client chose (start vLLM with
``--media-io-kwargs '{"video": {"num_frames": -1}}'`` so its loader does not subsample).
Transport, retries and error classes are those of :class:`OpenAIBackend`.

The local transformers backend does not take video here: the Qwen3-VL video processor
needs torchvision, which does not install beside the CPU torch build this project uses.
"""

from __future__ import annotations

import base64
from typing import Any

from screenpilot.model.backends.base import Completion
from screenpilot.model.backends.openai_http import OpenAIBackend
from screenpilot.tools.errors import ModelTransportError


def video_data_url(mp4: bytes) -> str:
    """``data:video/mp4;base64,...`` for an MP4 file's bytes."""
    return "data:video/mp4;base64," + base64.b64encode(mp4).decode("ascii")


def video_messages(mp4: bytes, text: str, system: str | None = None) -> list[dict[str, Any]]:
    """Chat messages with the clip first and the question after it (Qwen's cookbook order)."""
    user = {
        "role": "user",
        "content": [
            {"type": "video_url", "video_url": {"url": video_data_url(mp4)}},
            {"type": "text", "text": text},
        ],
    }
    return ([{"role": "system", "content": system}] if system else []) + [user]


class VideoChatBackend(OpenAIBackend):
    """:class:`OpenAIBackend` plus :meth:`ask_video`."""

    def ask_video(self, mp4: bytes, text: str, *, fps: float, max_tokens: int = 512) -> Completion:
        """Send one clip and one question; retry transient failures like :meth:`complete`.

        Args:
            mp4: The clip, frames already chosen and sized.
            text: The question with its instructions.
            fps: The clip's frame rate (the server's timestamps are computed from it).
            max_tokens: Cap on the answer.
        """
        extra = dict(self.config.extra_body)
        kwargs = dict(extra.get("mm_processor_kwargs") or {})
        kwargs.update({"fps": fps, "do_sample_frames": False})
        extra["mm_processor_kwargs"] = kwargs
        payload: dict[str, Any] = {
            "model": self.config.model,
            "messages": video_messages(mp4, text),
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "extra_body": extra,
        }
        attempt = 0
        while True:
            try:
                return self._once(payload, images=0)  # a video part: no image limit applies
            except ModelTransportError as e:
                delay = self._delay(attempt, e.retry_after) if attempt < self.config.retries else None
                if delay is None:
                    raise
                attempt += 1
                self._sleep(delay)
