"""Shared fixtures. Package-specific fixtures live in each test package's conftest."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_qwen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised Qwen3-VL checkpoint saved to a temp dir (about 8 s), built once
    for the model tests and the fine-tuning export's training test."""
    from tests.model.tiny_qwen import build_tiny_qwen3vl

    return build_tiny_qwen3vl(tmp_path_factory.mktemp("tiny-qwen3vl"))
