"""What one attempt at an episode produced."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.result import StageTimes
from screenpilot.model.types import Usage

OutcomeKind = Literal["success", "failure", "infra_error"]
"""``failure`` is the task's verdict (never retried); ``infra_error`` is the infrastructure's."""


class EpisodeOutcome(BaseModel):
    """One attempt at one episode, as written to ``results.jsonl``.

    Attributes:
        key: The episode's key (``task#index``).
        config_hash: Hash of the configuration that produced it.
        attempt: Attempt number.
        task_id: The task.
        index: Episode index within the task.
        seed: The task seed.
        kind: ``success``, ``failure`` or ``infra_error``.
        reward: The task's raw reward.
        reason: Why it ended (the task's reason, or the error).
        run_status: How the agent's run ended, when it ran.
        error_type: Class name of the infrastructure error, when there was one.
        steps: Steps the policy took.
        elapsed_s: Wall-clock time of the attempt.
        usage: Tokens spent.
        step_times: Per-step stage latencies.
        instruction: What the policy was told.
        info: The benchmark's facts about the set-up (time limits used).
        run_dir: The attempt's trajectory directory, relative to the run's output directory.
        worker: Which worker ran it.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    config_hash: str
    attempt: int
    task_id: str
    index: int
    seed: int
    kind: OutcomeKind
    reward: float = 0.0
    reason: str = ""
    run_status: str | None = None
    error_type: str | None = None
    steps: int = 0
    elapsed_s: float = 0.0
    usage: Usage = Usage()
    step_times: tuple[StageTimes, ...] = ()
    instruction: str = ""
    info: dict[str, object] = Field(default_factory=dict)
    run_dir: str | None = None
    worker: int = 0

    @property
    def success(self) -> bool:
        return self.kind == "success"
