"""The MiniWoB++ benchmark: tasks from the package, judged by the page's own reward."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.evaluator import EpisodeContext, EpisodeSetup, Verdict
from screenpilot.benchmarks.miniwob.page import MiniWoBPage, PageDriver
from screenpilot.benchmarks.miniwob.server import StaticServer
from screenpilot.benchmarks.miniwob.tasks import html_dir, list_tasks
from screenpilot.benchmarks.spec import TaskSpec
from screenpilot.environments.base import Environment
from screenpilot.tools.errors import ActionRejected, ConfigError, DriverError
from screenpilot.tools.options import validate_options

LIFTED_MARGIN_S = 60.0
"""With the limit lifted, the page's timer is set this far past the runner's own limit."""


class MiniWoBOptions(BaseModel):
    """Options of the MiniWoB++ benchmark.

    Attributes:
        no_time_limit: Lift each task's own time limit (7-30 s) by raising
            ``core.EPISODE_MAX_TIME`` past the runner's episode limit, for slow models.
            The report says which limit was used.
        base_url: Serve pages from here instead of a local server started per worker.
        viewport_width: Default viewport width for the browser (the task area is 160 px).
        viewport_height: Default viewport height (the task area is 210 px).
        fit_viewport: Resize the viewport to each page's task area before the episode
            starts (160x210 for most tasks, 375x667 for the flight tasks), when the
            environment can (``set_viewport``).
        ready_timeout_s: How long a page may take to load and become ready.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    no_time_limit: bool = False
    base_url: str | None = None
    viewport_width: int = Field(default=160, gt=0)
    viewport_height: int = Field(default=210, gt=0)
    fit_viewport: bool = True
    ready_timeout_s: float = Field(default=15.0, gt=0)


def _driver(env: Environment) -> PageDriver:
    if not isinstance(env, PageDriver):
        raise ConfigError("MiniWoB++ needs the browser environment (one with goto() and evaluate())")
    return env


@runtime_checkable
class Resizable(Protocol):
    """An environment whose viewport can be resized between episodes."""

    def set_viewport(self, width: int, height: int) -> None: ...


def _fit_viewport(env: Environment, page: MiniWoBPage) -> None:
    """Size the viewport to the page's task area, so no task opens cropped or scrolled."""
    size = page.task_area()
    if size is None or not isinstance(env, Resizable):
        return
    env.set_viewport(*size)


class MiniWoBEvaluator:
    """Loads the task page, starts a seeded episode, reads the page's reward."""

    def __init__(self, options: MiniWoBOptions, base_url: str) -> None:
        self.options = options
        self.base_url = base_url
        self._page: MiniWoBPage | None = None

    def _page_of(self, env: Environment) -> MiniWoBPage:
        if self._page is None or self._page.driver is not env:
            self._page = MiniWoBPage(_driver(env), ready_timeout_s=self.options.ready_timeout_s)
        return self._page

    def start(self, env: Environment, ctx: EpisodeContext) -> EpisodeSetup:
        page = self._page_of(env)
        task = ctx.episode.task
        # A fresh load per episode: no state, score history or timer leaks between episodes.
        try:
            page.load(urljoin(self.base_url, str(task.options["path"])))
        except ActionRejected as e:
            raise ConfigError(f"the environment refuses the MiniWoB++ server at {self.base_url}: {e}") from e
        if self.options.fit_viewport:
            _fit_viewport(env, page)
        lifted = self.options.no_time_limit
        max_ms = int((ctx.time_limit_s + LIFTED_MARGIN_S) * 1000) if lifted else None
        limit_ms = page.start(ctx.episode.seed, max_ms)
        page.prepare()
        info: dict[str, object] = {
            "time_limit_mode": "lifted" if lifted else "task",
            "time_limit": f"runner {ctx.time_limit_s:g}s" if lifted else f"{limit_ms / 1000:g}s",
            "page_time_limit_ms": limit_ms,
            "url": urljoin(self.base_url, str(task.options["path"])),
        }
        return EpisodeSetup(instruction=page.instruction(), info=info)

    def check(self, env: Environment) -> Verdict:
        try:
            status = self._page_of(env).status()
        except DriverError:
            # The page is between documents (a click navigated): read it again next step.
            return Verdict(done=False, reason="reward not readable right now")
        return Verdict(
            done=status.done, success=status.success, reward=status.raw_reward, reason=status.reason
        )

    def finish(self, env: Environment) -> Verdict:
        verdict = self.check(env)
        if verdict.done:
            return verdict
        return Verdict(
            done=False, success=False, reward=0.0, reason="the agent stopped before the task ended"
        )


class MiniWoBBenchmark:
    """Every task page of the installed ``miniwob`` package."""

    def __init__(self, options: MiniWoBOptions) -> None:
        self.options = options
        self._server: StaticServer | None = None

    #: the environment ``bench run`` uses when ``--env`` is not given
    default_environment = "browser"

    @property
    def name(self) -> str:
        return "miniwob"

    def tasks(self) -> list[TaskSpec]:
        return [
            TaskSpec(
                benchmark="miniwob", task_id=t.name, options={"path": t.path, "max_time_ms": t.max_time_ms}
            )
            for t in list_tasks()
        ]

    def environment_defaults(self) -> dict[str, object]:
        # In the browser factory's option names (``--env browser -E viewport=WxH``).
        return {"viewport": f"{self.options.viewport_width}x{self.options.viewport_height}"}

    def evaluator(self) -> MiniWoBEvaluator:
        base = self.options.base_url
        if base is None:
            if self._server is None:
                self._server = StaticServer(html_dir())
            base = self._server.base_url
        return MiniWoBEvaluator(self.options, base)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None


def from_options(options: Mapping[str, Any]) -> MiniWoBBenchmark:
    return MiniWoBBenchmark(validate_options(MiniWoBOptions, options, what="the MiniWoB++ benchmark"))
