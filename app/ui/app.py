"""The Starlette application behind ``screenpilot ui``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from screenpilot.agent.registry import available
from screenpilot.app.report.steps import step_view
from screenpilot.app.ui.browse import list_runs, report_html, resolve_inside
from screenpilot.app.ui.grounding import GroundRequest, PolicyCache, ground
from screenpilot.app.ui.live import LiveRuns, RunRequest, follow_events
from screenpilot.tools.errors import ConfigError


class UISettings(BaseModel):
    """What the UI starts with.

    Attributes:
        runs_dir: Where runs are recorded and browsed.
        default_policy: Policy preselected in the forms.
        default_policy_options: Its options, prefilled as ``KEY=VALUE`` lines.
        default_env: Environment preselected for live runs.
    """

    model_config = ConfigDict(frozen=True)

    runs_dir: Path = Path("runs")
    default_policy: str = "script"
    default_policy_options: dict[str, Any] = Field(default_factory=dict)
    default_env: str = "fake"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    """``Host`` headers accepted (guards against DNS rebinding); ``("*",)`` accepts any."""


def _static_dir() -> Path:
    return Path(str(resources.files("screenpilot.app.ui").joinpath("static")))


async def _config_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return JSONResponse({"error": problems}, status_code=422)


async def _json_body(request: Request) -> Any:
    """The JSON body of a POST, which must say it is JSON.

    A page on another site can send a cross-origin "simple" POST (``text/plain``) without
    asking first; requiring ``application/json`` forces the browser's CORS preflight, which
    this app never grants, so other sites cannot start runs on this machine.
    """
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise ConfigError("POST bodies must be application/json")
    return await request.json()


def _step_viewer(runs_dir: Path, rel: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def view(event: dict[str, Any]) -> dict[str, Any]:
        digest = event.get("screenshot")
        size = None
        if digest and not event.get("geometry"):
            from PIL import Image

            with Image.open(runs_dir / rel / "shots" / f"{digest}.png") as img:
                size = img.size
        v = step_view(event, size)
        shot = f"/shots/{rel}/shots/{digest}.png" if digest else None
        return v.model_dump(mode="json") | {"ok": v.ok, "shot_url": shot}

    return view


class _Endpoints:
    """The request handlers; everything they share lives here, not in module globals."""

    def __init__(self, settings: UISettings) -> None:
        self.settings = settings
        self.runs_dir = settings.runs_dir
        self.live = LiveRuns(settings.runs_dir)
        self.policies = PolicyCache()

    def index(self, request: Request) -> Response:
        return HTMLResponse((_static_dir() / "index.html").read_text(encoding="utf-8"))

    def registry(self, request: Request) -> Response:
        s = self.settings
        return JSONResponse(
            {
                "environments": sorted(available("environments")),
                "policies": sorted(available("policies")),
                "default_policy": s.default_policy,
                "default_policy_options": s.default_policy_options,
                "default_env": s.default_env,
                "runs_dir": str(s.runs_dir),
            }
        )

    async def ground(self, request: Request) -> Response:
        req = GroundRequest.model_validate(await _json_body(request))
        # policies block (model calls): keep them off the event loop
        result = await run_in_threadpool(ground, req, self.policies)
        return JSONResponse(result.model_dump(mode="json"))

    async def start_run(self, request: Request) -> Response:
        req = RunRequest.model_validate(await _json_body(request))
        return JSONResponse({"run_id": self.live.start(req)})

    async def stop_run(self, request: Request) -> Response:
        await _json_body(request)
        return JSONResponse({"stopped": self.live.stop(request.path_params["run_id"])})

    def runs(self, request: Request) -> Response:
        return JSONResponse([r.model_dump(mode="json") for r in list_runs(self.runs_dir)])

    def events(self, request: Request) -> Response:
        rel = request.path_params["path"]
        if ".." in Path(rel).parts:
            raise ConfigError("bad run path")
        stream = follow_events(
            self.runs_dir / rel,
            _step_viewer(self.runs_dir, rel),
            failed=lambda: self.live.error(rel),
            alive=lambda: self.live.running(rel),
        )
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream, media_type="text/event-stream", headers=headers)

    def report(self, request: Request) -> Response:
        return HTMLResponse(report_html(self.runs_dir, request.path_params["path"]))

    def shot(self, request: Request) -> Response:
        path = resolve_inside(self.runs_dir, request.path_params["path"])
        if path.suffix != ".png" or path.parent.name != "shots":
            raise ConfigError("not a screenshot")
        return FileResponse(path, media_type="image/png")

    def media(self, request: Request) -> Response:
        """A run's video or subtitles (FileResponse answers range requests, which seeking needs)."""
        path = resolve_inside(self.runs_dir, request.path_params["path"])
        kinds = {"video.mp4": "video/mp4", "video.vtt": "text/vtt"}
        if path.name not in kinds:
            raise ConfigError("not a run video")
        return FileResponse(path, media_type=kinds[path.name])

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.index),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
            Route("/api/registry", self.registry),
            Route("/api/ground", self.ground, methods=["POST"]),
            Route("/api/live", self.start_run, methods=["POST"]),
            Route("/api/live/{run_id}/stop", self.stop_run, methods=["POST"]),
            Route("/api/events/{path:path}", self.events),
            Route("/api/runs", self.runs),
            Route("/report/{path:path}", self.report),
            Route("/shots/{path:path}", self.shot),
            Route("/media/{path:path}", self.media),
            Mount("/static", StaticFiles(directory=_static_dir()), name="static"),
        ]


def create_app(settings: UISettings | None = None) -> Starlette:
    """Build the ASGI app (serve it with uvicorn, or :class:`screenpilot.app.ui.server.BackgroundServer`)."""
    endpoints = _Endpoints(settings or UISettings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        endpoints.live.stop_all()

    handlers = {ConfigError: _config_error, ValidationError: _validation_error}
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(endpoints.settings.allowed_hosts))]
    return Starlette(
        routes=endpoints.routes(), exception_handlers=handlers, lifespan=lifespan, middleware=middleware
    )
