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
from screenpilot.app.demo_site import FAKE_TASK, SIGN_IN_TASK
from screenpilot.app.demo_site.server import demo_pages
from screenpilot.app.report.steps import step_view
from screenpilot.app.ui.browse import list_runs, report_html, resolve_inside, with_ui_link, writer_alive
from screenpilot.app.ui.grounding import GroundRequest, PolicyCache, ground
from screenpilot.app.ui.live import DEFAULT_MAX_STEPS, LiveRuns, RunRequest, follow_events
from screenpilot.tools.errors import ConfigError


def default_environment() -> str:
    """``browser`` when Chromium and Playwright are installed, ``fake`` otherwise."""
    try:
        import playwright  # noqa: F401 (only whether it is installed)

        from screenpilot.environments.browser.config import find_chromium

        find_chromium()
    except (ModuleNotFoundError, ConfigError):
        return "fake"
    return "browser"


class UISettings(BaseModel):
    """What the UI starts with.

    Attributes:
        runs_dir: Where runs are recorded and browsed.
        default_policy: Policy preselected in the forms.
        default_policy_options: Its options, prefilled as ``KEY=VALUE`` lines.
        default_env: Environment preselected for live runs (the browser when Chromium
            is installed; the form then starts on the bundled demo page).
    """

    model_config = ConfigDict(frozen=True)

    runs_dir: Path = Path("runs")
    default_policy: str = "offline"
    default_policy_options: dict[str, Any] = Field(default_factory=dict)
    default_env: str = Field(default_factory=default_environment)
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
        demo = str(request.base_url).rstrip("/") + "/demo/login.html"
        return JSONResponse(
            {
                "environments": sorted(available("environments")),
                "policies": sorted(available("policies")),
                "default_policy": s.default_policy,
                "default_policy_options": s.default_policy_options,
                "default_env": s.default_env,
                # what a run starts with when nothing is changed, per environment
                "default_env_options": {"browser": {"url": demo}},
                "default_tasks": {"browser": SIGN_IN_TASK, "fake": FAKE_TASK},
                "default_max_steps": DEFAULT_MAX_STEPS,
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
        entries = list_runs(self.runs_dir, alive=self._alive)
        return JSONResponse(
            [r.model_dump(mode="json") | {"stoppable": self.live.running(r.path)} for r in entries]
        )

    def _alive(self, rel: str) -> bool:
        """Whether something still writes the run: this UI, or the process that started it."""
        return self.live.running(rel) or writer_alive(self.runs_dir / rel)

    def events(self, request: Request) -> Response:
        rel = request.path_params["path"]
        if ".." in Path(rel).parts:
            raise ConfigError("bad run path")
        stream = follow_events(
            self.runs_dir / rel,
            _step_viewer(self.runs_dir, rel),
            failed=lambda: self.live.error(rel),
            alive=lambda: self._alive(rel),
        )
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream, media_type="text/event-stream", headers=headers)

    def report(self, request: Request) -> Response:
        return HTMLResponse(with_ui_link(report_html(self.runs_dir, request.path_params["path"])))

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
            Mount("/demo", StaticFiles(directory=demo_pages()), name="demo"),
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
