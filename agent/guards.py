"""Guards: checks every action must pass, whatever the model says."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from screenpilot.environments.base import Capabilities
from screenpilot.environments.geometry import check_in_range, convert
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.actions import Action, Click, KeyPress, Navigate, NewTab, TypeText, points_of
from screenpilot.tools.errors import ActionRejected
from screenpilot.tools.points import CoordSpace


@runtime_checkable
class Guard(Protocol):
    """Raises :class:`~tools.errors.ActionRejected` for an action that must not run."""

    def check(self, action: Action, observation: Observation) -> None: ...


class CapabilityGuard:
    """Rejects actions the environment cannot execute."""

    def __init__(self, capabilities: Capabilities) -> None:
        self.capabilities = capabilities

    def check(self, action: Action, observation: Observation) -> None:
        if not self.capabilities.supports(action):
            allowed = ", ".join(sorted(self.capabilities.actions))
            raise ActionRejected(
                f"{action.action!r} is not available on {self.capabilities.platform}; "
                f"available actions: {allowed}"
            )


class BoundsGuard:
    """Rejects points outside their coordinate space (never clamps them)."""

    def check(self, action: Action, observation: Observation) -> None:
        for p in points_of(action):
            check_in_range(p, observation.geometry)


def host_matches(host: str, patterns: Sequence[str]) -> bool:
    """Whether ``host`` matches one of ``patterns`` (``example.com`` also allows subdomains;
    ``*`` wildcards allowed)."""
    host = host.lower().rstrip(".")
    for raw in patterns:
        pattern = raw.lower().strip()
        if fnmatch.fnmatch(host, pattern) or host == pattern or host.endswith("." + pattern):
            return True
    return False


def url_allowed(url: str, allowed_domains: Sequence[str]) -> bool:
    """Whether a URL's host is allowed; non-network schemes (about:, data:) always are."""
    parts = urlsplit(url if "://" in url or url.startswith(("about:", "data:")) else f"http://{url}")
    if parts.scheme in ("about", "data", "blob"):
        return True
    if parts.scheme == "file":
        return "file" in allowed_domains
    return bool(parts.hostname) and host_matches(parts.hostname or "", allowed_domains)


class DomainAllowlistGuard:
    """Rejects navigation to hosts outside the allowlist.

    The browser environment also enforces the list at the network level (redirects,
    sub-resources); this guard stops the request before it is made and explains why.
    """

    def __init__(self, allowed_domains: Sequence[str]) -> None:
        self.allowed = list(allowed_domains)

    def check(self, action: Action, observation: Observation) -> None:
        url = action.url if isinstance(action, Navigate | NewTab) else None
        if url and not url_allowed(url, self.allowed):
            raise ActionRejected(
                f"navigation to {url!r} is blocked: allowed domains are {', '.join(self.allowed)}"
            )


DEFAULT_IRREVERSIBLE = (
    r"\b(delete|remove|erase|destroy|uninstall|format|wipe)\b",
    r"\b(pay|purchase|buy|checkout|place order|confirm order|transfer|send money)\b",
    r"\b(send|publish|post|submit payment)\b",
    r"(删除|支付|购买|付款|转账|发送)",
)

Approver = Callable[[Action, str], bool]


def element_at(observation: Observation, action: Action) -> UIElement | None:
    """The smallest visible element under the action's first point."""
    points = points_of(action)
    if not points or not observation.elements:
        return None
    try:
        p = convert(points[0], CoordSpace.SCREEN, observation.geometry)
    except ActionRejected:
        return None
    hits = [e for e in observation.elements if e.visible and e.box.contains(p)]
    return min(hits, key=lambda e: e.box.width * e.box.height, default=None)


class ApprovalGuard:
    """Asks an approver before actions that look irreversible.

    An action needs approval when it clicks an element whose label matches one of
    ``patterns``, or presses a key chord in ``dangerous_keys``. Without an approver every
    such action is rejected.
    """

    def __init__(
        self,
        approver: Approver | None,
        *,
        patterns: Sequence[str] = DEFAULT_IRREVERSIBLE,
        dangerous_keys: Sequence[str] = ("ctrl+alt+delete", "alt+f4", "meta+q", "ctrl+w"),
    ) -> None:
        self.approver = approver
        self.patterns = [re.compile(p, re.IGNORECASE) for p in patterns]
        self.dangerous_keys = {k.lower() for k in dangerous_keys}

    def reason(self, action: Action, observation: Observation) -> str | None:
        """Why ``action`` needs approval, or ``None``."""
        if isinstance(action, KeyPress) and "+".join(action.keys) in self.dangerous_keys:
            return f"key chord {'+'.join(action.keys)}"
        if isinstance(action, Click | TypeText):
            el = element_at(observation, action) if isinstance(action, Click) else None
            label = el.label if el is not None else ""
            if label and any(p.search(label) for p in self.patterns):
                return f"click on {label!r}"
        return None

    def check(self, action: Action, observation: Observation) -> None:
        why = self.reason(action, observation)
        if why is None:
            return
        if self.approver is None or not self.approver(action, why):
            raise ActionRejected(f"not approved: {why} looks irreversible")
