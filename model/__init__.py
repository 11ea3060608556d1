"""Policies and grounders: the seam, prompt formats and backends."""

from model.policy import Grounder, Policy
from model.scripted import Delay, FunctionPolicy, ScriptedPolicy
from model.types import Decision, Feedback, HistoryStep, Usage

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
