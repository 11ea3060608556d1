"""Recognise a server's refusal of a prompt that holds too many images.

vLLM accepts at most ``--limit-mm-per-prompt`` images per prompt (1 unless configured)
and answers a longer prompt with HTTP 400. The refusal carries no machine-readable code,
only its message, so this module is the one place that reads it: at the protocol
boundary, where the backend turns the server's answer into the typed
:class:`~tools.errors.TooManyImages` that callers catch by type. The wordings below are
those of vLLM releases since 0.6 ("At most 1 image(s) may be provided in one request.",
"You set image=2 (or defaulted to 1) in `--limit-mm-per-prompt`, but passed 3 image
items in the same prompt.", "You set or defaulted to '{"image": 1}' in ...").
"""

from __future__ import annotations

import re

from screenpilot.tools.errors import TooManyImages

_AT_MOST = re.compile(r"at most (\d+) image\(s\) may be provided", re.IGNORECASE)
_LIMIT_FLAG = re.compile(r"limit[-_]mm[-_]per[-_]prompt", re.IGNORECASE)
_LIMIT_VALUE = re.compile(r"""["']?image["']?\s*[:=]\s*(\d+)""", re.IGNORECASE)
_PASSED_IMAGES = re.compile(r"passed (\d+) image items", re.IGNORECASE)


def too_many_images(status: int, detail: str, sent: int) -> TooManyImages | None:
    """The typed error for a refusal of ``sent`` images, or ``None`` for anything else."""
    if status != 400:
        return None
    at_most = _AT_MOST.search(detail)
    if at_most:
        limit: int | None = int(at_most.group(1))
    elif _LIMIT_FLAG.search(detail) and _PASSED_IMAGES.search(detail):
        value = _LIMIT_VALUE.search(detail)
        limit = int(value.group(1)) if value else None
    else:
        return None
    return TooManyImages(
        f"the server accepts at most {limit if limit is not None else 'fewer'} image(s) per prompt "
        f"and this one had {sent}: {detail}",
        limit=limit,
        sent=sent,
    )
