"""``bench browsergym``: a BrowserGym suite's tasks, judged by BrowserGym's own reward.

Each episode is loaded into the :class:`~environments.browsergym.BrowserGymEnvironment`
with the episode's seed; after every step the evaluator reads the reward and the
``terminated`` flag BrowserGym returned. MiniWoB++ pages come from the installed
``miniwob`` package, served on 127.0.0.1 per worker (BrowserGym's ``MINIWOB_URL``).
WebArena, VisualWebArena and WorkArena tasks need their own servers (see
``docs/benchmarks.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.evaluator import EpisodeContext, EpisodeSetup, Verdict
from screenpilot.benchmarks.miniwob.server import StaticServer
from screenpilot.benchmarks.miniwob.tasks import html_dir
from screenpilot.benchmarks.spec import TaskSpec
from screenpilot.environments.base import Environment
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options

Suite = Literal["miniwob", "webarena", "visualwebarena", "workarena"]

_TASK_LISTS = {
    "miniwob": ("browsergym.miniwob", "ALL_MINIWOB_TASKS"),
    "webarena": ("browsergym.webarena", "ALL_WEBARENA_TASK_IDS"),
    "visualwebarena": ("browsergym.visualwebarena", "ALL_VISUALWEBARENA_TASK_IDS"),
    "workarena": ("browsergym.workarena", "ALL_WORKARENA_TASKS"),
}


class BrowserGymOptions(BaseModel):
    """Options of the BrowserGym benchmark.

    Attributes:
        suite: Which BrowserGym suite's tasks.
        miniwob_url: Serve MiniWoB++ pages from here instead of a local server per worker
            (BrowserGym's ``MINIWOB_URL``, ending in ``miniwob/``).
        episode_max_time_ms: MiniWoB++: the page's time limit (BrowserGym's default is
            1,000,000 ms, in effect none).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    suite: Suite = "miniwob"
    miniwob_url: str | None = None
    episode_max_time_ms: int | None = Field(default=None, gt=0)


@runtime_checkable
class EpisodeLoader(Protocol):
    """What the evaluator needs from the environment (the BrowserGym adapter)."""

    reward: float
    done: bool
    task_info: dict[str, Any]

    def load(self, task: str, seed: int, task_kwargs: dict[str, Any] | None = None) -> str: ...


def _loader(env: Environment) -> EpisodeLoader:
    if not isinstance(env, EpisodeLoader):
        raise ConfigError("the BrowserGym benchmark needs the 'browsergym' environment")
    return env


def _names(suite: Suite) -> list[str]:
    module, attr = _TASK_LISTS[suite]
    try:
        found = getattr(importlib.import_module(module), attr)
    except ImportError as e:
        raise ConfigError(f"BrowserGym's {suite} suite needs {module}: {e}") from None
    names = [t if isinstance(t, str) else f"browsergym/{t.get_task_id()}" for t in found]
    return [n.removeprefix("browsergym/") for n in names]


class BrowserGymEvaluator:
    """Loads each episode into the adapter and reads BrowserGym's reward."""

    def __init__(self, options: BrowserGymOptions, task_kwargs: dict[str, Any]) -> None:
        self.options = options
        self.task_kwargs = task_kwargs

    def start(self, env: Environment, ctx: EpisodeContext) -> EpisodeSetup:
        task = ctx.episode.task
        goal = _loader(env).load(str(task.options["gym_id"]), ctx.episode.seed, self.task_kwargs)
        info: dict[str, object] = {"gym_id": task.options["gym_id"], "time_limit_mode": "browsergym"}
        return EpisodeSetup(instruction=goal, info=info)

    def check(self, env: Environment) -> Verdict:
        loader = _loader(env)
        reason = str(loader.task_info.get("REWARD_REASON") or loader.task_info.get("error") or "")
        return Verdict(done=loader.done, success=loader.reward > 0, reward=loader.reward, reason=reason)

    def finish(self, env: Environment) -> Verdict:
        verdict = self.check(env)
        if verdict.done:
            return verdict
        return Verdict(
            done=False, success=False, reward=0.0, reason="the agent stopped before the task ended"
        )


class BrowserGymBenchmark:
    """Every task of one BrowserGym suite."""

    #: the environment ``bench browsergym`` uses when ``--env`` is not given
    default_environment = "browsergym"

    def __init__(self, options: BrowserGymOptions) -> None:
        self.options = options
        self._server: StaticServer | None = None

    @property
    def name(self) -> str:
        return "browsergym"

    def tasks(self) -> list[TaskSpec]:
        prefix = f"{self.options.suite}."
        return [
            TaskSpec(benchmark="browsergym", task_id=n.removeprefix(prefix), options={"gym_id": n})
            for n in _names(self.options.suite)
        ]

    def environment_defaults(self) -> dict[str, object]:
        return {}

    def evaluator(self) -> BrowserGymEvaluator:
        kwargs: dict[str, Any] = {}
        if self.options.suite == "miniwob":
            url = self.options.miniwob_url
            if url is None:
                if self._server is None:
                    self._server = StaticServer(html_dir())
                url = self._server.base_url + "miniwob/"
            kwargs["base_url"] = url
            if self.options.episode_max_time_ms is not None:
                kwargs["episode_max_time"] = self.options.episode_max_time_ms
        return BrowserGymEvaluator(self.options, kwargs)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None


def from_options(options: Mapping[str, Any]) -> BrowserGymBenchmark:
    return BrowserGymBenchmark(validate_options(BrowserGymOptions, options, what="the BrowserGym benchmark"))
