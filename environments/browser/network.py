"""The domain allowlist in the browser: routes, WebSocket routes and request events.

Enforcement on the wire is :mod:`~environments.browser.proxy`: with an allowlist, the
context reaches every host through a local proxy that dials only allowed hosts, so redirect
hops (which Playwright does not route), preconnects, workers and WebRTC relays are held to
the list before any connection exists. This module adds what the browser side can do
better than a proxy:

* the first request of every load is answered here without touching the network: a
  blocked navigation gets an empty ``204`` (the page stays where it was, a sub-frame stays
  empty, ``https:`` included, which a proxy could only fail with an error page), a
  blocked sub-resource is aborted;
* WebSockets to other hosts are refused with a notice;
* :class:`NavigationWatch` turns every navigation request to a blocked URL, redirect hops
  included, into a notice and (main frame only) an entry of ``NoticeBoard.blocked``.
"""

from __future__ import annotations

from collections.abc import Sequence

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Request, Route, WebSocketRoute

from screenpilot.environments.browser.allowlist import url_allowed
from screenpilot.environments.browser.notices import NoticeBoard


class AllowlistRouter:
    """A ``context.route("**/*", ...)`` handler that answers blocked requests itself."""

    def __init__(self, allowed: Sequence[str]) -> None:
        self.allowed = tuple(allowed)

    def __call__(self, route: Route) -> None:
        try:
            self._route(route)
        except PlaywrightError:
            return  # the page or context closed while the request was held; nothing to answer

    def _route(self, route: Route) -> None:
        request = route.request
        if url_allowed(request.url, self.allowed):
            route.continue_()
        elif request.is_navigation_request():
            route.fulfill(status=204, body="")
        else:
            route.abort("blockedbyclient")


class NavigationWatch:
    """A ``context.on("request", ...)`` listener reporting blocked navigations.

    It sees every request the browser makes, each redirect hop as its own request, so a
    hop refused by the proxy is reported like a refused first request.
    """

    def __init__(self, allowed: Sequence[str], notices: NoticeBoard) -> None:
        self.allowed = tuple(allowed)
        self.notices = notices

    def __call__(self, request: Request) -> None:
        if not request.is_navigation_request() or url_allowed(request.url, self.allowed):
            return
        origin = request.redirected_from
        try:
            main = request.frame.parent_frame is None
        except PlaywrightError:
            main = True  # a new tab's first request comes before its frame exists
        allowed = ", ".join(self.allowed)
        if not main:
            self.notices.add(f"a frame loading {request.url} was blocked: allowed domains are {allowed}")
            return
        via = f" (redirected from {origin.url})" if origin is not None else ""
        self.notices.block(
            request.url, f"navigation to {request.url}{via} was blocked: allowed domains are {allowed}"
        )


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
