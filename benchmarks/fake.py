"""A benchmark over the fake GUI, with fault injection: tests and demos of the runner.

Tasks (on the built-in sign-in app):

* ``open-help``: click the "Forgot password?" link (solved when the help screen shows);
* ``tick-remember``: tick "Remember me";
* ``sign-in``: reach the dashboard (needs credentials the instruction does not give, so
  simple policies fail it: a genuine task failure).

Fault options make attempts fail for infrastructure reasons, by attempt number, so that
retries can be tested: a crash while setting up, a crash on the first action, a worker
process that dies, an attempt that hangs.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.evaluator import EpisodeContext, EpisodeSetup, Verdict
from screenpilot.benchmarks.spec import TaskSpec
from screenpilot.environments.base import Environment
from screenpilot.environments.fake.env import FakeEnvironment
from screenpilot.environments.fake.spec import FaultSpec
from screenpilot.tools.errors import ConfigError, EnvCrashed
from screenpilot.tools.options import validate_options

_TASKS: dict[str, str] = {
    "open-help": 'Click the "Forgot password?" link.',
    "tick-remember": 'Click the "Remember me" checkbox.',
    "sign-in": 'Click the "Sign in" button to reach your dashboard.',
}


class FakeBenchmarkOptions(BaseModel):
    """Options of the fake benchmark.

    Attributes:
        fault_tasks: Comma-separated globs of the tasks faults apply to.
        crash_setup_attempts: Attempts below this number crash while being set up.
        crash_step_attempts: Attempts below this number crash on their first action.
        die_attempts: Attempts below this number kill their worker process.
        hang_attempts: Attempts below this number hang for ``hang_s`` while set up.
        hang_s: How long a hanging attempt sleeps.
        step_delay_s: Sleep after every step (slows runs down for interruption tests).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    fault_tasks: str = "*"
    crash_setup_attempts: int = Field(default=0, ge=0)
    crash_step_attempts: int = Field(default=0, ge=0)
    die_attempts: int = Field(default=0, ge=0)
    hang_attempts: int = Field(default=0, ge=0)
    hang_s: float = Field(default=0.0, ge=0)
    step_delay_s: float = Field(default=0.0, ge=0)


def _fake(env: Environment) -> FakeEnvironment:
    if not isinstance(env, FakeEnvironment):
        raise ConfigError("the fake benchmark needs the 'fake' environment")
    return env


class FakeEvaluator:
    """Judges fake-app tasks from the app's ground truth state."""

    def __init__(self, options: FakeBenchmarkOptions) -> None:
        self.options = options
        self._task = ""

    def start(self, env: Environment, ctx: EpisodeContext) -> EpisodeSetup:
        fake = _fake(env)
        self._task = ctx.episode.task.task_id
        o = self.options
        faulty = any(fnmatch.fnmatchcase(self._task, g.strip()) for g in o.fault_tasks.split(","))
        if faulty and ctx.attempt < o.die_attempts:
            os._exit(3)  # simulates a worker killed by the OS
        if faulty and ctx.attempt < o.hang_attempts:
            time.sleep(o.hang_s)
        if faulty and ctx.attempt < o.crash_setup_attempts:
            raise EnvCrashed(f"simulated crash while setting up attempt {ctx.attempt}")
        crash = faulty and ctx.attempt < o.crash_step_attempts
        fake.app = fake.config.app.model_copy(update={"faults": FaultSpec(crash_at=(0,) if crash else ())})
        fake.reset()
        return EpisodeSetup(instruction=_TASKS[self._task], info={"time_limit_mode": "none"})

    def check(self, env: Environment) -> Verdict:
        if self.options.step_delay_s:
            time.sleep(self.options.step_delay_s)
        state = _fake(env).state
        solved = {
            "open-help": state.screen == "help",
            "tick-remember": state.checked.get("remember", False),
            "sign-in": state.screen == "dashboard",
        }[self._task]
        return Verdict(
            done=solved,
            success=solved,
            reward=1.0 if solved else 0.0,
            reason="goal reached" if solved else "",
        )

    def finish(self, env: Environment) -> Verdict:
        verdict = self.check(env)
        return verdict if verdict.done else Verdict(done=True, reason="goal not reached")


class FakeBenchmark:
    """The fake benchmark (see the module docstring)."""

    def __init__(self, options: FakeBenchmarkOptions) -> None:
        self.options = options

    #: the environment ``bench run`` uses when ``--env`` is not given
    default_environment = "fake"

    @property
    def name(self) -> str:
        return "fake"

    def tasks(self) -> list[TaskSpec]:
        return [TaskSpec(benchmark="fake", task_id=t) for t in _TASKS]

    def environment_defaults(self) -> dict[str, object]:
        return {}

    def evaluator(self) -> FakeEvaluator:
        return FakeEvaluator(self.options)

    def close(self) -> None:
        return None


def from_options(options: Mapping[str, Any]) -> FakeBenchmark:
    return FakeBenchmark(validate_options(FakeBenchmarkOptions, options, what="the fake benchmark"))
