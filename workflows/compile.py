"""Compile a finished agent run into a workflow that replays it without a model.

Each click becomes a step whose target is the text (and role) of the element that was
under the click point, recorded by the agent loop in ``StepEvent.targets``; the point
itself stays as the target's ``fallback``. Typing, keys, scrolling, dragging, navigation
and waits carry over as they were. Actions that workflows cannot express are listed
as warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from screenpilot.agent.trajectory.reader import Trajectory
from screenpilot.tools.actions import (
    Action,
    Answer,
    Click,
    Drag,
    KeyPress,
    MouseButton,
    Navigate,
    OpenApp,
    Scroll,
    Terminate,
    TypeText,
    Wait,
    parse_action,
)
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Point
from screenpilot.workflows.loader import parse_workflow

_REDACTED = re.compile(r"^\[secret:([A-Za-z_][A-Za-z0-9_.-]*)\]$")


class _Dumper(yaml.SafeDumper):
    """Writes lists of plain numbers inline (``point: [500.0, 326.0]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(isinstance(v, int | float) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _represent_list)


@dataclass
class Compiled:
    """A compiled workflow (as data and YAML) and what could not be carried over."""

    data: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        header = "".join(f"# warning: {w}\n" for w in self.warnings)
        body = yaml.dump(self.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        return header + body


def _point(p: Point) -> dict[str, Any]:
    return {"point": [round(p.x, 2), round(p.y, 2)], "space": p.space.value}


def _target(element: dict[str, Any] | None, point: Point) -> dict[str, Any]:
    if element and element.get("label", "").strip():
        target: dict[str, Any] = {"text": _escape(element["label"].strip()), "exact": True}
        if element.get("role"):
            target["role"] = element["role"]
        target["fallback"] = _point(point)
        return target
    return _point(point)


def _escape(text: str) -> str:
    """Literal text in a workflow: ``${`` would be read as a variable reference."""
    return text.replace("${", "$${")


def _click(action: Click, element: dict[str, Any] | None) -> dict[str, Any]:
    target = _target(element, action.at)
    if action.button is MouseButton.RIGHT:
        return {"right_click": target}
    if action.count == 2:
        return {"double_click": target}
    return {"click": target}


def _type(action: TypeText, secrets: set[str]) -> dict[str, Any]:
    name = action.secret
    if name is None and action.text is not None:
        m = _REDACTED.match(action.text)  # the recorder masked a secret the model typed
        name = m.group(1) if m else None
    step: dict[str, Any]
    if name is not None:
        secrets.add(name)
        step = {"type": {"secret": name}}
    else:
        step = {"type": _escape(action.text or "")}
    if action.clear_first:
        step["clear"] = True
    if action.submit:
        step["submit"] = True
    return step


def _step_for(action: Action, element: dict[str, Any] | None, secrets: set[str]) -> dict[str, Any] | None:
    match action:
        case Click():
            return _click(action, element)
        case TypeText():
            return _type(action, secrets)
        case KeyPress(keys=keys):
            return {"press": "+".join(keys)}
        case Scroll(direction=d, amount=a, at=at):
            step: dict[str, Any] = {"scroll": d.value, "amount": a}
            if at is not None:
                step["at"] = _point(at)
            return step
        case Drag(path=path, from_pointer=False):
            return {"drag": {"from": _point(path[0]), "to": _point(path[-1])}}
        case Navigate(url=url):
            return {"navigate": _escape(url)}
        case OpenApp(name=name):
            return {"open_app": _escape(name)}
        case Wait(seconds=s):
            return {"wait": s}
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def compile_run(
    trajectory: Trajectory, *, name: str | None = None, allow_unfinished: bool = False
) -> Compiled:
    """Compile a recorded run into workflow data.

    Raises:
        ConfigError: When the run did not succeed (unless ``allow_unfinished``) or has no
            actions to replay.
    """
    status = (trajectory.result or {}).get("status")
    if status != "success" and not allow_unfinished:
        raise ConfigError(
            f"run {trajectory.run_dir} ended {status or 'unfinished'}; only successful runs compile"
        )
    steps: list[dict[str, Any]] = []
    secrets: set[str] = set()
    warnings: list[str] = []
    for event in trajectory.steps:
        if event.get("popup"):
            # the popup handler's steps are not the task's: a replay handles popups itself
            warnings.append(f"step {event.get('index')}: a dismissed popup; left to the popup handler")
            continue
        targets = _list(event.get("targets"))
        outcomes = _list(event.get("outcomes"))
        for i, outcome in enumerate(outcomes):
            if not isinstance(outcome, dict) or not outcome.get("ok"):
                continue
            try:
                action = parse_action(outcome.get("action"))  # type: ignore[arg-type]
            except ValidationError as e:
                first = str(e).splitlines()[0]
                warnings.append(f"step {event.get('index')}: unreadable action ({first}); left out")
                continue
            if isinstance(action, Answer | Terminate):
                break
            element = targets[i] if i < len(targets) and isinstance(targets[i], dict) else None
            step = _step_for(action, element, secrets)
            if step is None:
                warnings.append(
                    f"step {event.get('index')}: {action.describe()} has no workflow step; left out"
                )
                continue
            steps.append(step)
    if not steps:
        raise ConfigError(f"run {trajectory.run_dir} has no actions to replay")
    task = str(trajectory.manifest.get("task", "")) or "recorded run"
    run_id = trajectory.manifest.get("run_id", trajectory.run_dir.name)
    data: dict[str, Any] = {
        "name": name or f"replay: {task}"[:80],
        "description": f"Compiled from run {run_id}: {task}",
    }
    if secrets:
        data["secrets"] = sorted(secrets)
    data["steps"] = steps
    compiled = Compiled(data=data, warnings=warnings)
    parse_workflow(compiled.to_yaml(), file="<compiled>")  # what we write must load
    return compiled
