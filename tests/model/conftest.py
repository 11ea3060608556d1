"""Fixtures of the model tests; the tiny Qwen3-VL checkpoint (``tiny_qwen_dir``) is in the
root conftest, shared with the fine-tuning export's training test."""
