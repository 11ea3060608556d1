"""Scripted RPA workflows: YAML files of steps that run without a model on a good day.

Load with :func:`load_workflow`, run with :class:`WorkflowRunner`, compile a finished agent
run into a workflow with :func:`compile_run`. See ``docs/workflows.md``.
"""

from screenpilot.workflows.loader import LoadedWorkflow, load_workflow, parse_workflow, validate_tree
from screenpilot.workflows.resolver import ScreenResolver, TargetResolver
from screenpilot.workflows.run import WorkflowResult, WorkflowRunner, run_workflow

__all__ = [
    "LoadedWorkflow",
    "ScreenResolver",
    "TargetResolver",
    "WorkflowResult",
    "WorkflowRunner",
    "load_workflow",
    "parse_workflow",
    "run_workflow",
    "validate_tree",
]
