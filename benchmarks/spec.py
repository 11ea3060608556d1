"""What a benchmark run is made of: tasks, episodes, components and the run's settings.

Everything here is plain, frozen and picklable, because it crosses process boundaries:
worker processes rebuild their environment and policy from these specs.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.config import AgentConfig


class ComponentSpec(BaseModel):
    """A registry name plus the options its factory takes.

    Attributes:
        name: Name in the registry (``screenpilot.agent.registry`` for environments and policies,
            ``screenpilot.benchmarks.registry`` for benchmarks).
        options: Options handed to the factory, validated there.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


class TaskSpec(BaseModel):
    """One task of a benchmark.

    Attributes:
        benchmark: Name of the benchmark that owns it.
        task_id: Identifier, unique within the benchmark (``click-button``).
        options: What the benchmark needs to set the task up (a page path, a time limit).
    """

    model_config = ConfigDict(frozen=True)

    benchmark: str
    task_id: str
    options: dict[str, Any] = Field(default_factory=dict)


class EpisodeSpec(BaseModel):
    """One seeded episode of one task.

    Attributes:
        task: The task.
        index: Episode number within the task (0-based).
        seed: Seed of the task's randomness.
    """

    model_config = ConfigDict(frozen=True)

    task: TaskSpec
    index: int = Field(ge=0)
    seed: int

    @property
    def key(self) -> str:
        """Stable identity of the episode within a run (``task#index``)."""
        return f"{self.task.task_id}#{self.index}"

    @property
    def slug(self) -> str:
        """A file-system-safe name for the episode."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.task.task_id)
        return f"{safe}__{self.index:03d}"


class RunSpec(BaseModel):
    """Everything that decides what an episode does (and so its configuration hash).

    Attributes:
        benchmark: The benchmark and its options (for MiniWoB++: time-limit handling).
        environment: The environment every worker builds.
        policy: The policy every worker builds.
        agent: Budgets of each episode's agent.
        episode_time_limit_s: Wall-clock limit of one episode; the worker process is
            killed when an episode overruns it by ``hard_kill_grace_s``.
        max_infra_retries: How many times an episode that failed for infrastructure
            reasons (crashed browser, unreachable model) is retried.
        hard_kill_grace_s: Extra time before a stuck worker is killed.
    """

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    benchmark: ComponentSpec
    environment: ComponentSpec
    policy: ComponentSpec
    agent: AgentConfig = AgentConfig(max_steps=15)
    episode_time_limit_s: float = Field(default=120.0, gt=0)
    max_infra_retries: int = Field(default=2, ge=0)
    hard_kill_grace_s: float = Field(default=30.0, ge=0)

    def episode_hash(self, episode: EpisodeSpec) -> str:
        """Hash of everything that decides the episode's outcome.

        Worker count, output paths and retry settings are left out: they change how a
        run is carried out, not what an episode is.
        """
        data = {
            "benchmark": self.benchmark.model_dump(mode="json"),
            "environment": self.environment.model_dump(mode="json"),
            "policy": self.policy.model_dump(mode="json"),
            "agent": self.agent.model_dump(mode="json", exclude={"abort_file"}),
            "episode_time_limit_s": self.episode_time_limit_s,
            "episode": episode.model_dump(mode="json"),
        }
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]
