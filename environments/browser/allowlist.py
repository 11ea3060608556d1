"""Which URLs the browser may load, by host."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from urllib.parse import urlsplit

_ALWAYS = frozenset({"about", "data", "blob", "chrome-error", "devtools"})


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    """Whether ``host`` matches a pattern (``example.com`` also allows its subdomains)."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        if host == pattern or host.endswith("." + pattern) or fnmatch.fnmatchcase(host, pattern):
            return True
    return False


def url_allowed(url: str, patterns: Sequence[str]) -> bool:
    """Whether the browser may load ``url``; every URL is when ``patterns`` is empty."""
    if not patterns:
        return True
    parts = urlsplit(url)
    if parts.scheme in _ALWAYS:
        return True
    if parts.scheme == "file":
        return "file" in patterns
    return bool(parts.hostname) and host_allowed(parts.hostname or "", patterns)


def normalize_url(url: str) -> str:
    """Add a scheme to a bare address (``example.com`` -> ``https://example.com``)."""
    text = url.strip()
    if "://" in text or text.startswith(("about:", "data:", "javascript:", "file:")):
        return text
    host = text.split("/", 1)[0].split(":", 1)[0]
    local = host in ("localhost",) or host.replace(".", "").isdigit()
    return ("http://" if local else "https://") + text
