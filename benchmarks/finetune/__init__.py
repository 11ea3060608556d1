"""Training data from runs: fine-tuning samples in the Qwen-VL recipe's format or chat JSONL
(:mod:`.export`), and grounding samples (:mod:`.grounding`)."""
