"""The workflow file: name, variables, secrets, defaults, observers and steps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from screenpilot.workflows.steps import (
    AssertStep,
    CallStep,
    ForEachStep,
    IfStep,
    OnFail,
    RetrySpec,
    SecretRef,
    Step,
    TypeStep,
    WhileStep,
)
from screenpilot.workflows.targets import Target


class Defaults(BaseModel):
    """Settings every step inherits unless it sets its own.

    Attributes:
        timeout: Seconds to wait for a step's target to appear.
        retry: Re-runs of a failing step.
        on_fail: What to do when a step still fails.
        poll_interval: Seconds between looks at the screen while waiting.
        settle_timeout: Bound on waiting for the screen to settle after each action.
        action_timeout: Bound on one action (and one look at the screen) in the driver.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    timeout: float = Field(default=5.0, gt=0.0, le=3600.0)
    retry: RetrySpec = RetrySpec(times=0)
    on_fail: OnFail = "abort"
    poll_interval: float = Field(default=0.2, gt=0.0, le=60.0)
    settle_timeout: float = Field(default=2.0, ge=0.0, le=60.0)
    action_timeout: float = Field(default=30.0, gt=0.0, le=600.0)


class Observer(BaseModel):
    """A rule that fires whenever its target shows up, running its own steps first.

    Observers are checked before every step and while waiting for a target; they do not
    fire inside their own steps.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    when: Target
    steps: list[Step] = Field(min_length=1)
    max_times: int = Field(default=5, ge=1, le=1000)


class Workflow(BaseModel):
    """A whole workflow file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    variables: dict[str, Any] = Field(default_factory=dict)
    secrets: list[str] = Field(default_factory=list)
    defaults: Defaults = Defaults()
    observers: list[Observer] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    @field_validator("variables")
    @classmethod
    def _names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not isinstance(key, str) or not key.isidentifier():
                raise ValueError(f"variable name {key!r} is not an identifier")
        return value


def walk(steps: list[Any]) -> Iterator[Any]:
    """Every step, depth first, including those nested in if / for_each / while."""
    for step in steps:
        yield step
        if isinstance(step, IfStep):
            yield from walk(step.then)
            yield from walk(step.else_)
        elif isinstance(step, ForEachStep | WhileStep):
            yield from walk(step.do)


def all_steps(workflow: Workflow) -> Iterator[Any]:
    """Every step of the workflow and of its observers."""
    yield from walk(workflow.steps)
    for observer in workflow.observers:
        yield from walk(observer.steps)


def used_secrets(workflow: Workflow) -> set[str]:
    """Names of the secrets typed by the workflow's own steps."""
    return {
        s.type.secret
        for s in all_steps(workflow)
        if isinstance(s, TypeStep) and isinstance(s.type, SecretRef)
    }


def called_files(workflow: Workflow) -> list[str]:
    """The ``call`` targets, as written."""
    return [s.call for s in all_steps(workflow) if isinstance(s, CallStep)]


def conditions(workflow: Workflow) -> list[str]:
    """Every condition expression (for checks at load time)."""
    out: list[str] = []
    for s in all_steps(workflow):
        if isinstance(s, IfStep):
            out.append(s.if_)
        elif isinstance(s, WhileStep):
            out.append(s.while_)
        elif isinstance(s, AssertStep) and s.assert_.condition:
            out.append(s.assert_.condition)
    return out
