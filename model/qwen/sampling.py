"""Qwen3-VL's published generation settings, per checkpoint kind.

From the Qwen3-VL README, "Evaluation Reproduction / Generation Hyperparameters"
(QwenLM/Qwen3-VL, README.md): Instruct checkpoints sample with temperature 0.7, top_p 0.8,
top_k 20 and presence_penalty 1.5; Thinking checkpoints with temperature 0.6, top_p 0.95,
top_k 20 and no presence penalty. The README's own vLLM offline example uses temperature
0, and the agent cookbooks send no sampling parameters at all (the server's defaults),
so greedy decoding stays one option away (``-P sampling=greedy``).

Token budgets: 2048 for Instruct checkpoints (what the computer-use cookbook's local
example generates), 8192 for Thinking checkpoints, whose reasoning alone often runs past
2,000 tokens on a screen; both can be overridden with ``max_tokens``.
"""

from __future__ import annotations

from screenpilot.model.sampling import Sampling, SamplingMode

INSTRUCT = Sampling(temperature=0.7, top_p=0.8, top_k=20, presence_penalty=1.5, max_tokens=2048)
THINKING = Sampling(temperature=0.6, top_p=0.95, top_k=20, presence_penalty=0.0, max_tokens=8192)


def published(thinking: bool) -> Sampling:
    """The README's settings for a Thinking or an Instruct checkpoint."""
    return THINKING if thinking else INSTRUCT


def qwen_sampling(thinking: bool, mode: SamplingMode = "published") -> Sampling:
    """Sampling of a checkpoint kind in ``mode`` (overrides are applied by the caller)."""
    base = published(thinking)
    return base.as_greedy() if mode == "greedy" else base
