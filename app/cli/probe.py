"""Is the model server there? Asked once, before the first step, with a short timeout."""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from screenpilot.tools.errors import ConfigError, ModelTransportError

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0


def probe_endpoint(endpoint: str, *, api_key: str | None = None, timeout_s: float = PROBE_TIMEOUT_S) -> None:
    """``GET {endpoint}/models``; any HTTP answer but a refused key means the server is up.

    Raises:
        ConfigError: The URL is not http(s), or the server refused the key (401/403).
        ModelTransportError: Nothing answered within ``timeout_s`` (refused, unknown host,
            timeout); the message names the URL.
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"--endpoint {endpoint!r} is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)")
    url = endpoint.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {api_key or 'EMPTY'}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http(s) checked above)
    t0 = time.monotonic()
    log.debug("probing the model server: GET %s", url)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s):  # noqa: S310 (http(s) checked above)
            pass
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            raise ConfigError(
                f"the model server at {endpoint} refused the API key (HTTP {e.code}); "
                "pass --api-key-env VAR naming the variable that holds it"
            ) from None
        # 404 and friends: a server answered; not every one lists its models
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ModelTransportError(
            f"cannot reach the model server at {endpoint} ({reason}); start it, or check --endpoint"
        ) from None
    log.debug("the model server answered in %.2fs", time.monotonic() - t0)


def probe_policy(options: dict[str, Any]) -> None:
    """Probe the endpoint (or each of the endpoints) a policy's options name, if any."""
    endpoint = options.get("endpoint")
    endpoints = endpoint if isinstance(endpoint, list | tuple) else [endpoint] if endpoint else []
    for url in endpoints:
        probe_endpoint(str(url), api_key=options.get("api_key"))
