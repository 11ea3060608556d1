"""The evaluator seam: how a benchmark sets an episode up and judges it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.spec import EpisodeSpec, TaskSpec
from screenpilot.environments.base import Environment


class EpisodeContext(BaseModel):
    """What an evaluator knows about the attempt it sets up.

    Attributes:
        episode: The episode.
        attempt: Attempt number (0 first; retries after infrastructure failures count up).
        time_limit_s: The runner's wall-clock limit for the episode.
    """

    model_config = ConfigDict(frozen=True)

    episode: EpisodeSpec
    attempt: int = Field(default=0, ge=0)
    time_limit_s: float = 120.0


class EpisodeSetup(BaseModel):
    """What the policy is told, and what the report records about the set-up.

    Attributes:
        instruction: The task as the policy sees it.
        info: Facts for the report (the task's own time limit, whether it was lifted).
    """

    model_config = ConfigDict(frozen=True)

    instruction: str
    info: dict[str, object] = Field(default_factory=dict)


class Verdict(BaseModel):
    """The benchmark's judgement of an episode at one moment.

    Attributes:
        done: Whether the task itself says the episode is over.
        success: Whether it was solved (only meaningful when ``done``, or at the end).
        reward: The task's raw reward, when it has one.
        reason: Why, in the task's words.
    """

    model_config = ConfigDict(frozen=True)

    done: bool = False
    success: bool = False
    reward: float = 0.0
    reason: str = ""


@runtime_checkable
class Evaluator(Protocol):
    """Sets up and judges episodes of one benchmark in one worker.

    The runner calls :meth:`start` before the agent runs, :meth:`check` after every step
    (a verdict with ``done`` ends the run) and :meth:`finish` once the agent stopped.
    Evaluators read the task's own state (page globals, the fake app's state); they never
    hand it to the policy.
    """

    def start(self, env: Environment, ctx: EpisodeContext) -> EpisodeSetup:
        """Bring ``env`` to the episode's start state and return the instruction."""
        ...

    def check(self, env: Environment) -> Verdict:
        """Read the task's verdict now (cheap; called after every step)."""
        ...

    def finish(self, env: Environment) -> Verdict:
        """The final verdict after the agent stopped."""
        ...


@runtime_checkable
class Benchmark(Protocol):
    """A named set of tasks and the evaluator that runs them.

    Built once per process from its registry name and options; workers call
    :meth:`evaluator` once and :meth:`environment_defaults` to complete the
    environment's options. A class attribute ``default_environment`` (optional, default
    ``browser``) names the environment used when the command line names none.
    """

    @property
    def name(self) -> str: ...

    def tasks(self) -> list[TaskSpec]:
        """Every task, in a stable order."""
        ...

    def environment_defaults(self) -> dict[str, object]:
        """Environment options the benchmark needs unless the user set them (viewport...)."""
        ...

    def evaluator(self) -> Evaluator:
        """A fresh evaluator for this process."""
        ...

    def close(self) -> None:
        """Release servers and files the benchmark holds."""
        ...
