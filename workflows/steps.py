"""Workflow steps: one frozen model per kind, one union discriminated on the kind's key.

A step is a YAML mapping whose kind key carries its main argument, with optional common
keys beside it::

    - click: {text: Sign in}
      timeout: 5
      retry: {times: 2, interval: 0.5}
      on_fail: model
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from screenpilot.tools.actions import ScrollDirection
from screenpilot.tools.keys import normalize_key
from screenpilot.workflows.expr import check_expression
from screenpilot.workflows.targets import Target

OnFail = Literal["abort", "skip", "retry", "model"]
"""What to do when a step still fails after its retries: stop the run, go on, retry
(twice when no ``retry`` is given), or find the target again with the grounding model."""

Expr = Annotated[str, AfterValidator(check_expression)]
VarName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class RetrySpec(BaseModel):
    """Re-run a failing step ``times`` more times, ``interval`` seconds apart."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    times: int = Field(default=2, ge=0, le=100)
    interval: float = Field(default=0.5, ge=0.0, le=600.0)


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: str | None = None
    """A label for logs and error messages."""
    timeout: float | None = Field(default=None, gt=0.0, le=3600.0)
    """Seconds to wait for the step's target to appear; the workflow default if unset."""
    retry: RetrySpec | None = None
    on_fail: OnFail | None = None


class ClickStep(_Step):
    click: Target


class DoubleClickStep(_Step):
    double_click: Target


class RightClickStep(_Step):
    right_click: Target


class SecretRef(BaseModel):
    """``{secret: NAME}``: type the value of a declared secret."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class TypeStep(_Step):
    """Type text or a secret, optionally clicking ``into`` a target first."""

    type: str | SecretRef
    into: Target | None = None
    clear: bool = False
    submit: bool = False


def key_chord(press: str | list[str]) -> tuple[str, ...]:
    """``"ctrl+a"`` or ``["ctrl", "a"]`` -> ``("ctrl", "a")`` (a lone ``+`` is the plus key)."""
    if isinstance(press, list):
        return tuple(press)
    if press.strip() == "+":
        return ("+",)
    return tuple(part.strip() for part in press.split("+") if part.strip())


class PressStep(_Step):
    """Press a key or chord: ``enter``, ``ctrl+a`` or ``[ctrl, a]``."""

    press: str | list[str]

    @field_validator("press")
    @classmethod
    def _known_keys(cls, press: str | list[str]) -> str | list[str]:
        if "${" not in str(press):  # templated keys are checked when they are known
            for key in key_chord(press):
                normalize_key(key)
        return press


class ScrollStep(_Step):
    scroll: ScrollDirection
    amount: float = Field(default=3.0, gt=0.0, le=100.0)
    at: Target | None = None


class DragSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: Target = Field(alias="from")
    to: Target


class DragStep(_Step):
    drag: DragSpec


class NavigateStep(_Step):
    navigate: str = Field(min_length=1)


class OpenAppStep(_Step):
    open_app: str = Field(min_length=1)


class WaitStep(_Step):
    wait: float = Field(ge=0.0, le=60.0)


class WaitForStep(_Step):
    """Wait until a target appears (or vanishes), up to ``timeout`` (default 10 s)."""

    wait_for: Target
    until: Literal["appear", "vanish"] = "appear"


class AssertSpec(BaseModel):
    """Exactly one of ``visible``, ``hidden``, ``text_of`` (with ``equals`` or ``contains``),
    or ``condition``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    visible: Target | None = None
    hidden: Target | None = None
    text_of: Target | None = None
    equals: str | None = None
    contains: str | None = None
    condition: Expr | None = None
    message: str | None = None

    @model_validator(mode="after")
    def _one_check(self) -> AssertSpec:
        checks = [self.visible, self.hidden, self.text_of, self.condition]
        if sum(c is not None for c in checks) != 1:
            raise ValueError("assert needs exactly one of visible, hidden, text_of, condition")
        if self.text_of is not None and (self.equals is None) == (self.contains is None):
            raise ValueError("assert text_of needs exactly one of equals, contains")
        return self


class AssertStep(_Step):
    assert_: AssertSpec = Field(alias="assert")


class ExtractStep(_Step):
    """Read the text of a target (or of everything inside a region) into a variable."""

    extract: Target
    save_as: VarName
    pattern: str | None = None
    """A regular expression; its first group (or whole match) is kept."""


class IfStep(_Step):
    if_: Expr = Field(alias="if")
    then: list[Step] = Field(min_length=1)
    else_: list[Step] = Field(default_factory=list, alias="else")


class CsvSource(BaseModel):
    """The rows of a CSV file (relative to the workflow file), as mappings by header."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    csv: str
    delimiter: str = Field(default=",", min_length=1, max_length=1)


class ForEachStep(_Step):
    """Run ``do`` once per item of a list, a ``${variable}`` holding one, or CSV rows."""

    for_each: list[Any] | str | CsvSource
    as_: VarName = Field(default="item", alias="as")
    do: list[Step] = Field(min_length=1)


class WhileStep(_Step):
    """Run ``do`` while a condition holds, at most ``max_iterations`` times."""

    while_: Expr = Field(alias="while")
    do: list[Step] = Field(min_length=1)
    max_iterations: int = Field(default=20, ge=1, le=10_000)


class CallStep(_Step):
    """Run another workflow file (relative to this one) with arguments for its variables."""

    call: str = Field(min_length=1)
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")


class AgentStep(_Step):
    """A natural-language sub-task for the agent loop, with its own step budget."""

    agent: str = Field(min_length=1)
    max_steps: int = Field(default=10, ge=1, le=500)
    policy: str | None = None
    """A registered policy name; the run's default policy when unset."""
    policy_options: dict[str, Any] = Field(default_factory=dict)


_KINDS: dict[str, type[_Step]] = {
    "click": ClickStep,
    "double_click": DoubleClickStep,
    "right_click": RightClickStep,
    "type": TypeStep,
    "press": PressStep,
    "scroll": ScrollStep,
    "drag": DragStep,
    "navigate": NavigateStep,
    "open_app": OpenAppStep,
    "wait": WaitStep,
    "wait_for": WaitForStep,
    "assert": AssertStep,
    "extract": ExtractStep,
    "if": IfStep,
    "for_each": ForEachStep,
    "while": WhileStep,
    "call": CallStep,
    "agent": AgentStep,
}
STEP_KINDS: tuple[str, ...] = tuple(_KINDS)


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((f"kind:{k}" for k in _KINDS if k in value), None)
    if isinstance(value, _Step):
        return f"kind:{step_kind(value)}"
    return None


def step_kind(step: _Step) -> str:
    """The kind key of a step (``click``, ``if``...)."""
    return next(k for k, cls in _KINDS.items() if type(step) is cls)


Step = Annotated[
    Annotated[ClickStep, Tag("kind:click")]
    | Annotated[DoubleClickStep, Tag("kind:double_click")]
    | Annotated[RightClickStep, Tag("kind:right_click")]
    | Annotated[TypeStep, Tag("kind:type")]
    | Annotated[PressStep, Tag("kind:press")]
    | Annotated[ScrollStep, Tag("kind:scroll")]
    | Annotated[DragStep, Tag("kind:drag")]
    | Annotated[NavigateStep, Tag("kind:navigate")]
    | Annotated[OpenAppStep, Tag("kind:open_app")]
    | Annotated[WaitStep, Tag("kind:wait")]
    | Annotated[WaitForStep, Tag("kind:wait_for")]
    | Annotated[AssertStep, Tag("kind:assert")]
    | Annotated[ExtractStep, Tag("kind:extract")]
    | Annotated[IfStep, Tag("kind:if")]
    | Annotated[ForEachStep, Tag("kind:for_each")]
    | Annotated[WhileStep, Tag("kind:while")]
    | Annotated[CallStep, Tag("kind:call")]
    | Annotated[AgentStep, Tag("kind:agent")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message=f"a step needs one of the keys {', '.join(_KINDS)}",
    ),
]
"""Any workflow step."""

AnyStep = (
    ClickStep
    | DoubleClickStep
    | RightClickStep
    | TypeStep
    | PressStep
    | ScrollStep
    | DragStep
    | NavigateStep
    | OpenAppStep
    | WaitStep
    | WaitForStep
    | AssertStep
    | ExtractStep
    | IfStep
    | ForEachStep
    | WhileStep
    | CallStep
    | AgentStep
)

for _cls in (IfStep, ForEachStep, WhileStep):
    _cls.model_rebuild()
