"""Checks a workflow tree passes before anything runs: variables and calls.

``workflow validate`` and ``workflow run`` both load a tree through
:func:`~screenpilot.workflows.loader.validate_tree`, which runs these checks, so a file
that validates does not fail later for a reason a reader of the file could have seen:

* every ``${name}`` in a step and every variable in a condition is declared: a workflow
  variable, a value some ``extract`` step saves, or (inside its ``do``) a ``for_each``
  loop variable and its ``_index``;
* the static ``call`` graph has no cycle (a call whose path is a ``${template}`` is
  chosen at run time and is not followed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from screenpilot.tools.errors import ConfigError
from screenpilot.workflows.expr import BoolOp, Call, Compare, Node, Not, Var, parse_expression
from screenpilot.workflows.schema import Workflow, all_steps
from screenpilot.workflows.steps import AssertStep, ExtractStep, ForEachStep, IfStep, WhileStep
from screenpilot.workflows.template import references

_NESTED = frozenset({"then", "else", "do", "name"})
"""Step fields holding nested steps (checked on their own) or a label (never rendered)."""


def check_variables(workflow: Workflow, file: str) -> None:
    """Every variable a step or condition reads is declared.

    Raises:
        ConfigError: Listing each unknown name with the step that reads it.
    """
    saved = {s.save_as for s in all_steps(workflow) if isinstance(s, ExtractStep)}
    known = set(workflow.variables) | saved
    problems: list[str] = []
    _check_steps(workflow.steps, "steps", known, problems)
    for i, observer in enumerate(workflow.observers):
        _check_steps(observer.steps, f"observers[{i}].steps", known, problems)
    if problems:
        names = ", ".join(sorted(known)) or "none"
        raise ConfigError(f"{file}: unknown variable in {'; '.join(problems)} (declared: {names})")


def _check_steps(steps: Sequence[Any], path: str, known: set[str], problems: list[str]) -> None:
    for i, step in enumerate(steps):
        here = f"{path}[{i}]"
        for name in sorted(set(_reads(step)) - known):
            problems.append(f"{here}: {name!r}")
        if isinstance(step, IfStep):
            _check_steps(step.then, f"{here}.then", known, problems)
            _check_steps(step.else_, f"{here}.else", known, problems)
        elif isinstance(step, ForEachStep):
            _check_steps(step.do, f"{here}.do", known | {step.as_, f"{step.as_}_index"}, problems)
        elif isinstance(step, WhileStep):
            _check_steps(step.do, f"{here}.do", known, problems)


def _reads(step: Any) -> Iterator[str]:
    """The variable names one step reads (not counting its nested steps)."""
    fields = step.model_dump(by_alias=True, exclude_none=True)
    for key, value in fields.items():
        if key not in _NESTED:
            for text in _strings(value):
                yield from (ref[0] for ref in references(text))
    for condition in _conditions(step):
        yield from (v.path[0] for v in _variables(parse_expression(condition)))


def _conditions(step: Any) -> list[str]:
    if isinstance(step, IfStep):
        return [step.if_]
    if isinstance(step, WhileStep):
        return [step.while_]
    if isinstance(step, AssertStep) and step.assert_.condition:
        return [step.assert_.condition]
    return []


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _variables(node: Node) -> Iterator[Var]:
    stack: list[Node] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Var):
            yield item
        elif isinstance(item, Call | BoolOp):
            stack.extend(item.args if isinstance(item, Call) else item.operands)
        elif isinstance(item, Not):
            stack.append(item.operand)
        elif isinstance(item, Compare):
            stack.extend((item.left, item.right))


def check_call_cycles(edges: Mapping[Path, Iterable[Path]]) -> None:
    """The call graph (file -> files it calls) has no cycle.

    Raises:
        ConfigError: Naming the files of the first cycle found, in call order.
    """
    state: dict[Path, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        path: list[Path] = [start]
        pending: list[Iterator[Path]] = [iter(edges.get(start, ()))]
        state[start] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                raise ConfigError("workflow calls form a cycle: " + " -> ".join(str(p) for p in cycle))
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(edges.get(nxt, ())))
