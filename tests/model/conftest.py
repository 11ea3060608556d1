"""Fixtures of the model tests: a tiny Qwen3-VL checkpoint built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_qwen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised Qwen3-VL checkpoint saved to a temp dir (about 8 s)."""
    from tests.model.tiny_qwen import build_tiny_qwen3vl

    return build_tiny_qwen3vl(tmp_path_factory.mktemp("tiny-qwen3vl"))
