"""Data that crosses the policy seam: decisions, usage, feedback and history."""

from __future__ import annotations

from typing import Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.effects import Effect
from screenpilot.tools.actions import Action


class Usage(BaseModel):
    """Tokens spent by one or more model calls.

    Attributes:
        endpoints: Calls answered per endpoint, when the model is served by several
            replicas (:class:`~model.backends.replicas.ReplicaPool`).
        failovers: Attempts that failed on one replica and went to another.
    """

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0
    image_tokens: int = 0
    calls: int = 0
    endpoints: dict[str, int] = Field(default_factory=dict)
    failovers: int = 0

    def __add__(self, other: Usage) -> Usage:
        endpoints = dict(self.endpoints)
        for endpoint, n in other.endpoints.items():
            endpoints[endpoint] = endpoints.get(endpoint, 0) + n
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            image_tokens=self.image_tokens + other.image_tokens,
            calls=self.calls + other.calls,
            endpoints=endpoints,
            failovers=self.failovers + other.failovers,
        )


class Decision(BaseModel):
    """What a policy chose for one step.

    Attributes:
        actions: One or more actions, executed in order.
        thought: The model's reasoning or a policy's explanation.
        raw: The raw model output, kept verbatim for the trajectory.
        usage: Tokens spent.
        latency_s: Time the policy took.
        model: Which model or policy produced it (a composed policy names the part
            that decided, e.g. ``hybrid/offline``).
        notices: Things the policy changed on its own that the run record should show
            (e.g. fewer history screenshots after a server's image limit).
    """

    model_config = ConfigDict(frozen=True)

    actions: tuple[Action, ...] = Field(min_length=1)
    thought: str = ""
    raw: str = ""
    usage: Usage = Usage()
    latency_s: float = 0.0
    model: str = ""
    notices: tuple[str, ...] = ()


FeedbackKind = Literal["invalid_output", "action_error", "rejected", "loop", "notice", "effect", "popup"]


class Feedback(BaseModel):
    """Something the agent tells the policy before it predicts again.

    Attributes:
        kind: ``invalid_output`` (re-ask after a parse or validation error),
            ``action_error`` (the last action failed), ``rejected`` (a guard refused it),
            ``loop`` (the agent is repeating itself), ``notice`` (the environment reported
            something), ``effect`` (what the last action hit and changed), ``popup`` (the
            popup handler dismissed something before this step).
        message: Text written for the model.
        raw: The model output the feedback refers to (for re-asks).
        effect: The typed effect behind an ``effect`` (or failed action's) message, for
            policies that check it rather than read it.
    """

    model_config = ConfigDict(frozen=True)

    kind: FeedbackKind
    message: str
    raw: str = ""
    effect: Effect | None = None


class HistoryStep(BaseModel):
    """One finished step as later predictions see it.

    The screenshot is kept in memory for the last few steps only and never serialised.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    index: int
    thought: str = ""
    actions: tuple[Action, ...] = ()
    raw: str = ""
    outcome: str = ""
    url: str | None = None
    screenshot: Image.Image | None = Field(default=None, exclude=True)
