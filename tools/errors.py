"""The one error tree of screenpilot, classified by type, never by message text.

It lives in the lowest package so that drivers, model backends and the agent raise and
catch the same classes without importing upward.

::

    ScreenpilotError
    ├── ConfigError              user mistake; never retried
    ├── ModelError
    │   ├── ModelTransportError  network, 429/5xx; retried with backoff
    │   │   └── ModelTimeout
    │   ├── ModelOutputError     unparseable or invalid answer; re-asked with the message
    │   └── TooManyImages        the server's per-prompt image limit; send fewer images
    ├── ActionRejected           a guard said no; fed back to the model
    │   └── CoordinateOutOfRange
    ├── EnvironmentFault
    │   ├── DriverError          the action failed on the platform; fed back
    │   │   ├── TargetNotFound   a workflow target is not on the screen
    │   │   └── TargetCovered    a pointer action hit something covering its target
    │   ├── PageLoadFailed       the start page did not load; the run stops
    │   ├── EnvTimeout
    │   └── EnvCrashed           the environment must be reset or recreated
    ├── BudgetExceeded           steps or wall clock; ends the run cleanly
    ├── LoopDetected
    ├── CheckFailed              a workflow assertion or sub-task did not hold
    └── Aborted                  kill switch; never retried, never swallowed
"""

from __future__ import annotations


class ScreenpilotError(Exception):
    """Base of every error screenpilot raises on purpose."""


class ConfigError(ScreenpilotError):
    """A configuration or usage mistake. Never retried."""


class ModelError(ScreenpilotError):
    """Something went wrong asking the model."""


class ModelTransportError(ModelError):
    """The model could not be reached or answered with a transient failure.

    Attributes:
        retry_after: Seconds the server asked us to wait, when it said.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ModelTimeout(ModelTransportError):
    """The model call took longer than its timeout."""


class ModelOutputError(ModelError):
    """The model answered, but the answer is not a valid decision.

    The message is written to be shown to the model when it is re-asked.

    Attributes:
        raw: The model's raw output, kept for the trajectory and the re-ask.
    """

    def __init__(self, message: str, *, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


class TooManyImages(ModelError):
    """The server refused a prompt for holding more images than it accepts (vLLM's
    ``--limit-mm-per-prompt``). The policy can send fewer history screenshots.

    Attributes:
        limit: Images per prompt the server accepts, when it said.
        sent: Images the refused prompt held.
    """

    def __init__(self, message: str, *, limit: int | None = None, sent: int = 0) -> None:
        super().__init__(message)
        self.limit = limit
        self.sent = sent


class ActionRejected(ScreenpilotError):
    """A guard refused an action. The reason is fed back to the model."""


class CoordinateOutOfRange(ActionRejected):
    """A point lies outside the range of its coordinate space. Rejected, never clamped."""


class EnvironmentFault(ScreenpilotError):
    """The environment could not do what was asked."""


class DriverError(EnvironmentFault):
    """An action failed on the platform (element gone, input refused)."""


class TargetNotFound(DriverError):
    """A workflow step's target (text, image, element, description) is not on the screen."""


class TargetCovered(DriverError):
    """A pointer action landed on something covering its target (a backdrop, a banner, a
    dialog) and changed nothing. The message names both."""


class PageLoadFailed(EnvironmentFault):
    """The page a run starts on did not load (refused, unknown host, HTTP error). Not
    retried: the task cannot start."""


class EnvTimeout(EnvironmentFault):
    """The environment did not answer in time."""


class EnvCrashed(EnvironmentFault):
    """The environment is gone (browser crashed, device dropped) and must be recreated."""


class BudgetExceeded(ScreenpilotError):
    """A step, time or token budget ran out."""


class LoopDetected(ScreenpilotError):
    """The agent kept repeating the same action on the same screen."""


class CheckFailed(ScreenpilotError):
    """A workflow check (assert, wait_for, a bounded loop, an agent sub-task) did not hold."""


class Aborted(ScreenpilotError):
    """The kill switch fired. Never retried and never swallowed."""
