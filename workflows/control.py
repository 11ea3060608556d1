"""Control steps: ``if``, ``for_each``, ``while``, ``call`` and ``agent`` sub-tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.result import StepEvent
from screenpilot.tools.errors import CheckFailed, ConfigError
from screenpilot.workflows.checks import condition_holds
from screenpilot.workflows.frame import Frame, bind_variables, read_csv_rows
from screenpilot.workflows.loader import load_workflow
from screenpilot.workflows.steps import AgentStep, CallStep, CsvSource, ForEachStep, IfStep, WhileStep

if TYPE_CHECKING:
    from screenpilot.workflows.step_runner import Execution

MAX_CALL_DEPTH = 8
_UNSET = object()


def run_if(ex: Execution, frame: Frame, step: IfStep, path: str) -> None:
    if condition_holds(ex, frame, step.if_, path):
        ex.run_steps(frame, step.then, f"{path}.then")
    elif step.else_:
        ex.run_steps(frame, step.else_, f"{path}.else")


def _items(frame: Frame, step: ForEachStep, path: str) -> list[Any]:
    source = step.for_each
    if isinstance(source, CsvSource):
        return list(read_csv_rows(frame.loaded.resolve(str(frame.render(source.csv))), source.delimiter))
    value = frame.render(source)
    if isinstance(value, dict):
        return [{"key": k, "value": v} for k, v in value.items()]
    if not isinstance(value, list):
        raise ConfigError(f"step {path}: for_each needs a list, got {type(value).__name__} {value!r}")
    return value


def run_for_each(ex: Execution, frame: Frame, step: ForEachStep, path: str) -> None:
    items = _items(frame, step, path)
    name = step.as_
    saved = frame.variables.get(name, _UNSET)
    ex.record.event("loop_started", path=path, items=len(items))
    try:
        for i, item in enumerate(items):
            frame.variables[name] = item
            frame.variables[f"{name}_index"] = i
            ex.run_steps(frame, step.do, f"{path}.do#{i}")
    finally:
        frame.variables.pop(f"{name}_index", None)
        if saved is _UNSET:
            frame.variables.pop(name, None)
        else:
            frame.variables[name] = saved


def run_while(ex: Execution, frame: Frame, step: WhileStep, path: str) -> None:
    for i in range(step.max_iterations):
        if not condition_holds(ex, frame, step.while_, path):
            return
        ex.run_steps(frame, step.do, f"{path}.do#{i}")
    if condition_holds(ex, frame, step.while_, path):
        raise CheckFailed(
            f"step {path}: condition {step.while_!r} still holds after {step.max_iterations} iterations"
        )


def run_call(ex: Execution, frame: Frame, step: CallStep, path: str) -> None:
    if frame.depth >= MAX_CALL_DEPTH:
        raise ConfigError(f"step {path}: calls nested deeper than {MAX_CALL_DEPTH} (a call cycle?)")
    loaded = load_workflow(frame.loaded.resolve(str(frame.render(step.call))))
    callee = loaded.workflow
    args = frame.render(step.with_)
    variables = bind_variables(callee.variables, args, what=f"workflow {callee.name!r} (called at {path})")
    for name in callee.secrets:
        ex.services.secrets.value(name)  # fail now, naming the secret, not mid-flow
    child = Frame(
        loaded=loaded,
        variables=variables,
        observers=[*frame.observers, *callee.observers],
        prefix=f"{path}>{callee.name}",
        depth=frame.depth + 1,
    )
    ex.record.event("call_started", path=path, workflow=callee.name, file=str(loaded.path))
    ex.run_steps(child, callee.steps, f"{child.prefix}.steps")
    ex.record.event("call_finished", path=path, workflow=callee.name)


def run_agent(ex: Execution, frame: Frame, step: AgentStep, path: str, attempt: int) -> None:
    from screenpilot.agent.loop import Agent

    provider = ex.services.policies
    if provider is None:
        raise ConfigError(f"step {path}: agent steps need a policy; none is configured")
    policy = provider(step.policy, step.policy_options)
    info = ex.info(step, path, attempt=attempt)
    info.extra["task"] = step.agent

    def forward(event: StepEvent) -> None:
        ex.record.forward(event, info.as_dict())

    config = AgentConfig(
        max_steps=step.max_steps,
        max_seconds=step.timeout or 600.0,
        settle_timeout_s=frame.defaults.settle_timeout,
    )
    agent = Agent(
        ex.services.env,
        policy,
        config,
        guards=ex.services.guards,
        secrets=ex.services.secrets,
        kill_switch=ex.services.kill_switch,
        out_dir=None,
        on_step=[forward],
        popups=ex.services.popups,
    )
    ex.record.event("agent_started", path=path, task=step.agent, policy=policy.name, max_steps=step.max_steps)
    popups = ex.services.popups
    used = popups.used if popups is not None else 0
    result = agent.run(step.agent, reset=False)
    if popups is not None:
        popups.used += used  # the cap is the workflow run's, not the agent step's
    ex.record.event("agent_finished", path=path, status=result.status, reason=result.reason)
    if not result.success:
        raise CheckFailed(
            f"step {path}: agent sub-task {step.agent!r} ended {result.status}: {result.reason}"
        )
