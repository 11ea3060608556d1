"""Qwen-VL agents: checkpoint registry, prompts, parser, policy and grounder.

Heavy backends are imported lazily by the factories in :mod:`model.qwen.factory`.
"""

from model.qwen.coords import CoordConvention
from model.qwen.grounder import QwenGrounder
from model.qwen.policy import QwenPolicy, QwenPolicyConfig
from model.qwen.prompt import PromptBuilder, PromptSettings
from model.qwen.registry import CHECKPOINTS, CheckpointSpec, lookup

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
