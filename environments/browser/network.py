"""The domain allowlist, enforced on the network: every request of the context is routed here.

Playwright routes only the first request of a redirect chain, so a navigation is fetched
hop by hop (without following redirects) and every hop's target is checked before the
browser is allowed to follow it. Blocked navigations get an empty ``204`` answer, which
leaves the current page in place; blocked sub-resources are aborted.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urljoin

from playwright.sync_api import APIRequestContext, APIResponse, Route, WebSocketRoute
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser.allowlist import url_allowed
from screenpilot.environments.browser.notices import NoticeBoard

MAX_REDIRECTS = 10


class AllowlistRouter:
    """A ``context.route("**/*", ...)`` handler that keeps the browser on allowed hosts."""

    def __init__(self, allowed: Sequence[str], notices: NoticeBoard, requests: APIRequestContext) -> None:
        self.allowed = tuple(allowed)
        self.notices = notices
        self._requests = requests  # shares the context's cookies, used to look ahead in redirects

    def __call__(self, route: Route) -> None:
        try:
            self._route(route)
        except PlaywrightError:
            return  # the page or context closed while the request was held; nothing to answer

    def _route(self, route: Route) -> None:
        request = route.request
        if not url_allowed(request.url, self.allowed):
            self._block(route, request.url, redirect_from=None)
            return
        if not request.is_navigation_request():
            route.continue_()
            return
        self._navigate(route)

    def _navigate(self, route: Route) -> None:
        try:
            response = route.fetch(max_redirects=0)
        except PlaywrightError as e:
            # the browser would fail the same way; let it, so the failure is reported normally
            self.notices.add(f"could not load {route.request.url}: {_first_line(e)}")
            route.abort("failed")
            return
        location = _redirect_target(response)
        if location is None:
            route.fulfill(response=response)
            return
        blocked = self._first_blocked_hop(location)
        if blocked is None:
            route.fulfill(response=response)  # the browser follows the (checked) chain itself
        else:
            self._block(route, blocked, redirect_from=route.request.url)

    def _first_blocked_hop(self, url: str) -> str | None:
        """The first URL of the redirect chain from ``url`` that is not allowed, if any."""
        for _ in range(MAX_REDIRECTS):
            if not url_allowed(url, self.allowed):
                return url
            try:
                response = self._requests.get(url, max_redirects=0)
            except PlaywrightError:
                return None  # unreachable, not disallowed: the browser reports the failure
            nxt = _redirect_target(response)
            if nxt is None:
                return None
            url = nxt
        return None

    def _block(self, route: Route, url: str, *, redirect_from: str | None) -> None:
        request = route.request
        if request.is_navigation_request():
            via = f" (redirected from {redirect_from})" if redirect_from else ""
            self.notices.block(
                url, f"navigation to {url}{via} was blocked: allowed domains are {', '.join(self.allowed)}"
            )
            route.fulfill(status=204, body="")
        else:
            route.abort("blockedbyclient")


class WebSocketGuard:
    """A ``context.route_web_socket("**/*", ...)`` handler: sockets to other hosts are refused
    (page routes never see WebSockets)."""

    def __init__(self, allowed: Sequence[str], notices: NoticeBoard) -> None:
        self.allowed = tuple(allowed)
        self.notices = notices

    def __call__(self, ws: WebSocketRoute) -> None:
        url = ws.url.replace("ws://", "http://", 1).replace("wss://", "https://", 1)
        if url_allowed(url, self.allowed):
            ws.connect_to_server()
            return
        self.notices.add(
            f"a WebSocket to {ws.url} was blocked: allowed domains are {', '.join(self.allowed)}"
        )
        ws.close(code=1008, reason="blocked by the domain allowlist")


def _redirect_target(response: APIResponse) -> str | None:
    if response.status not in (301, 302, 303, 307, 308):
        return None
    location = response.headers.get("location")
    return urljoin(response.url, location) if location else None


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
