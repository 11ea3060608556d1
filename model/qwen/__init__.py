"""Qwen-VL agents: checkpoint registry, prompts, parser, policy and grounder.

Heavy backends are imported lazily by the factories in :mod:`screenpilot.model.qwen.factory`.
"""

from screenpilot.model.coords import CoordConvention
from screenpilot.model.qwen.grounder import QwenGrounder
from screenpilot.model.qwen.policy import QwenPolicy, QwenPolicyConfig
from screenpilot.model.qwen.prompt import PromptBuilder, PromptSettings
from screenpilot.model.qwen.registry import CHECKPOINTS, CheckpointSpec, lookup

__all__ = [
    "CHECKPOINTS",
    "CheckpointSpec",
    "CoordConvention",
    "PromptBuilder",
    "PromptSettings",
    "QwenGrounder",
    "QwenPolicy",
    "QwenPolicyConfig",
    "lookup",
]
