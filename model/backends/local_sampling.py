"""A chat request's sampling settings as ``transformers`` ``generate`` arguments.

transformers has temperature, top_p, top_k and a (multiplicative) repetition penalty but
no presence penalty; :class:`PresencePenalty` adds one with the semantics vLLM and the
OpenAI API use: a constant subtracted from the logit of every token that already appears
in the generated part (the prompt does not count). torch is imported by the caller.
"""

from __future__ import annotations

from typing import Any

from screenpilot.model.backends.base import ChatRequest


class PresencePenalty:
    """A ``LogitsProcessor`` subtracting ``penalty`` from tokens already generated.

    Args:
        penalty: Amount subtracted once per distinct generated token.
        prompt_len: Tokens of the prompt, which are not penalised.
    """

    def __init__(self, penalty: float, prompt_len: int) -> None:
        self.penalty = penalty
        self.prompt_len = prompt_len

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        generated = input_ids[:, self.prompt_len :]
        if generated.shape[1] == 0:
            return scores
        seen = scores.new_zeros(scores.shape).scatter_(1, generated, 1.0)
        return scores - self.penalty * seen


def generate_kwargs(request: ChatRequest, prompt_len: int, cap: int | None) -> dict[str, Any]:
    """``max_new_tokens``, ``do_sample`` and the sampling arguments of ``request``.

    Args:
        request: The chat request.
        prompt_len: Tokens of the prompt (for the presence penalty).
        cap: An operator's upper bound on generated tokens, ``None`` for the request's own.
    """
    from transformers import LogitsProcessorList

    budget = request.max_tokens if cap is None else min(request.max_tokens, cap)
    out: dict[str, Any] = {"max_new_tokens": budget, "do_sample": request.temperature > 0}
    if request.temperature <= 0:
        return out
    out["temperature"] = request.temperature
    for key in ("top_p", "top_k", "repetition_penalty"):
        value = getattr(request, key)
        if value is not None:
            out[key] = value
    if request.presence_penalty:
        out["logits_processor"] = LogitsProcessorList([PresencePenalty(request.presence_penalty, prompt_len)])
    return out
