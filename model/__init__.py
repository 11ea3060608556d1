"""Policies and grounders: the seam, prompt formats and backends."""

from screenpilot.model.policy import Grounder, Policy
from screenpilot.model.scripted import Delay, FunctionPolicy, ScriptedPolicy
from screenpilot.model.types import Decision, Feedback, HistoryStep, Usage

__all__ = [
    "Decision",
    "Delay",
    "Feedback",
    "FunctionPolicy",
    "Grounder",
    "HistoryStep",
    "Policy",
    "ScriptedPolicy",
    "Usage",
]
