"""The Starlette application behind ``screenpilot ui``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from agent.registry import available
from agent.report.steps import step_view
from agent.ui.browse import list_runs, report_html, resolve_inside
from agent.ui.grounding import GroundRequest, PolicyCache, ground
from agent.ui.live import LiveRuns, RunRequest, follow_events
from tools.errors import ConfigError


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
    return Path(str(resources.files("agent.ui").joinpath("static")))


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


def create_app(settings: UISettings | None = None) -> Starlette:
    """Build the app; everything it holds lives in this closure, not in module globals."""
    s = settings or UISettings()
    runs_dir = s.runs_dir
    live = LiveRuns(runs_dir)
    policies = PolicyCache()

    def index(request: Request) -> Response:
        return HTMLResponse((_static_dir() / "index.html").read_text(encoding="utf-8"))

    def registry(request: Request) -> Response:
        return JSONResponse(
            {
                "environments": sorted(available("environments")),
                "policies": sorted(available("policies")),
                "default_policy": s.default_policy,
                "default_policy_options": s.default_policy_options,
                "default_env": s.default_env,
                "runs_dir": str(runs_dir),
            }
        )

    async def ground_endpoint(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        req = GroundRequest.model_validate(await _json_body(request))
        result = await run_in_threadpool(ground, req, policies)
        return JSONResponse(result.model_dump(mode="json"))

    async def start_run(request: Request) -> Response:
        req = RunRequest.model_validate(await _json_body(request))
        return JSONResponse({"run_id": live.start(req)})

    async def stop_run(request: Request) -> Response:
        await _json_body(request)
        return JSONResponse({"stopped": live.stop(request.path_params["run_id"])})

    def runs(request: Request) -> Response:
        return JSONResponse([r.model_dump(mode="json") for r in list_runs(runs_dir)])

    def events(request: Request) -> Response:
        rel = request.path_params["path"]
        run_dir = runs_dir / rel
        if ".." in Path(rel).parts:
            raise ConfigError("bad run path")
        stream = follow_events(
            run_dir,
            _step_viewer(runs_dir, rel),
            failed=lambda: live.error(rel),
            alive=lambda: live.running(rel),
        )
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream, media_type="text/event-stream", headers=headers)

    def report(request: Request) -> Response:
        return HTMLResponse(report_html(runs_dir, request.path_params["path"]))

    def shot(request: Request) -> Response:
        path = resolve_inside(runs_dir, request.path_params["path"])
        if path.suffix != ".png" or path.parent.name != "shots":
            raise ConfigError("not a screenshot")
        return FileResponse(path, media_type="image/png")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        live.stop_all()

    routes = [
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/registry", registry),
        Route("/api/ground", ground_endpoint, methods=["POST"]),
        Route("/api/live", start_run, methods=["POST"]),
        Route("/api/live/{run_id}/stop", stop_run, methods=["POST"]),
        Route("/api/events/{path:path}", events),
        Route("/api/runs", runs),
        Route("/report/{path:path}", report),
        Route("/shots/{path:path}", shot),
        Mount("/static", StaticFiles(directory=_static_dir()), name="static"),
    ]
    handlers = {ConfigError: _config_error, ValidationError: _validation_error}
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(s.allowed_hosts))]
    return Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan, middleware=middleware)
