"""The run's summary: success per task with confidence intervals, steps, latency, tokens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from screenpilot.benchmarks.outcome import EpisodeOutcome
from screenpilot.benchmarks.stats import percentile, wilson_interval

STAGES = ("observe_s", "predict_s", "act_s", "settle_s")


class TaskSummary(BaseModel):
    """Results of one task (or of all of them).

    ``episodes`` counts every finished episode; infrastructure failures that ran out of
    retries count as unsolved and are also shown on their own (``infra_errors``).
    """

    model_config = ConfigDict(frozen=True)

    task_id: str
    episodes: int
    successes: int
    success_rate: float
    ci_low: float
    ci_high: float
    mean_steps: float
    infra_errors: int
    input_tokens: int
    output_tokens: int
    mean_elapsed_s: float
    time_limit: str = ""


class StageLatency(BaseModel):
    """Per-step latency of one stage of the agent loop, in seconds."""

    model_config = ConfigDict(frozen=True)

    stage: str
    steps: int
    mean: float
    p50: float
    p90: float
    p99: float


class Summary(BaseModel):
    """The whole run."""

    model_config = ConfigDict(frozen=True)

    benchmark: str
    policy: str
    environment: str
    expected_episodes: int
    missing_episodes: int
    overall: TaskSummary
    tasks: tuple[TaskSummary, ...]
    stages: tuple[StageLatency, ...]
    time_limit_mode: str
    elapsed_s: float = 0.0
    episodes_per_minute: float = 0.0


def _seconds_first(text: str) -> tuple[float, str]:
    digits = "".join(c for c in text if c.isdigit() or c == ".")
    try:
        return float(digits), text
    except ValueError:
        return float("inf"), text


def _time_limit(outcomes: Sequence[EpisodeOutcome]) -> str:
    limits = sorted(
        {str(o.info["time_limit"]) for o in outcomes if "time_limit" in o.info}, key=_seconds_first
    )
    return ", ".join(limits)


def task_summary(task_id: str, outcomes: Sequence[EpisodeOutcome]) -> TaskSummary:
    n = len(outcomes)
    wins = sum(o.success for o in outcomes)
    low, high = wilson_interval(wins, n)
    return TaskSummary(
        task_id=task_id,
        episodes=n,
        successes=wins,
        success_rate=wins / n if n else 0.0,
        ci_low=low,
        ci_high=high,
        mean_steps=sum(o.steps for o in outcomes) / n if n else 0.0,
        infra_errors=sum(o.kind == "infra_error" for o in outcomes),
        input_tokens=sum(o.usage.input_tokens for o in outcomes),
        output_tokens=sum(o.usage.output_tokens for o in outcomes),
        mean_elapsed_s=sum(o.elapsed_s for o in outcomes) / n if n else 0.0,
        time_limit=_time_limit(outcomes),
    )


def stage_latencies(outcomes: Sequence[EpisodeOutcome]) -> tuple[StageLatency, ...]:
    out = []
    for stage in STAGES:
        values = [float(getattr(t, stage)) for o in outcomes for t in o.step_times]
        out.append(
            StageLatency(
                stage=stage.removesuffix("_s"),
                steps=len(values),
                mean=sum(values) / len(values) if values else 0.0,
                p50=percentile(values, 50),
                p90=percentile(values, 90),
                p99=percentile(values, 99),
            )
        )
    return tuple(out)


def summarize(
    outcomes: Sequence[EpisodeOutcome],
    *,
    benchmark: str,
    policy: str,
    environment: str,
    expected_episodes: int,
    elapsed_s: float = 0.0,
    time_limit_mode: str = "",
) -> Summary:
    """Summarise the final outcome of each episode."""
    by_task: dict[str, list[EpisodeOutcome]] = defaultdict(list)
    for o in outcomes:
        by_task[o.task_id].append(o)
    ran = sum(1 for o in outcomes if o.elapsed_s > 0)
    return Summary(
        benchmark=benchmark,
        policy=policy,
        environment=environment,
        expected_episodes=expected_episodes,
        missing_episodes=expected_episodes - len(outcomes),
        overall=task_summary("overall", outcomes),
        tasks=tuple(task_summary(t, by_task[t]) for t in sorted(by_task)),
        stages=stage_latencies(outcomes),
        time_limit_mode=time_limit_mode,
        elapsed_s=elapsed_s,
        episodes_per_minute=60.0 * ran / elapsed_s if elapsed_s > 0 else 0.0,
    )
