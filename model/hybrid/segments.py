"""Cut a task into segments the hybrid policy hands out one at a time.

Only unambiguous sequence boundaries cut: sentence ends (". ", "!", "?", ";", "。", "！",
"？", "；", new lines) and explicit sequencing ("then", "after that", "afterwards",
"finally", "然后", "接着", "之后", "最后"). "and" and commas never cut, so "sign in with
the username alice and the password hunter2" stays whole; quoted text is never cut. How a
segment is understood is the offline interpreter's business, not this module's.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|'[^'\n]*'")
_CUT = re.compile(
    r"(?<=[.!?])\s+(?=\S)|[;；。！？\n]+\s*"
    r"|,?\s*\b(?:and\s+)?(?:then|after\s+that|afterwards|finally)\b[\s,]*"
    r"|[，,]?\s*(?:然后再|然后|接着|之后|最后)[，,]?\s*",
    re.IGNORECASE,
)
_HOLE = "\x00{}\x00"
_HOLE_RE = re.compile(r"\x00(\d+)\x00")


def segments(task: str) -> list[str]:
    """The pieces of ``task`` in order (the whole task when nothing cuts it)."""
    kept: list[str] = []

    def hide(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return _HOLE.format(len(kept) - 1)

    masked = _QUOTED.sub(hide, task.strip())
    pieces = [p.strip(" ,，") for p in _CUT.split(masked)]
    restored = [_HOLE_RE.sub(lambda m: kept[int(m.group(1))], p) for p in pieces if p and p.strip(" ,，.")]
    return restored or [task.strip()]
