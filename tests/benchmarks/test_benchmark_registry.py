"""Benchmarks are registered as agent registry specs and loaded by the same loader."""

from __future__ import annotations

import pytest

from screenpilot.agent.entries import EntrySpec, Registry
from screenpilot.benchmarks.evaluator import Benchmark
from screenpilot.benchmarks.registry import BENCHMARKS, REGISTRY, available_benchmarks, create_benchmark
from screenpilot.tools.errors import ConfigError


def test_benchmarks_share_the_agent_loader() -> None:
    assert isinstance(REGISTRY, Registry) and REGISTRY.builtin is BENCHMARKS
    assert REGISTRY.group == "screenpilot.benchmarks"
    assert all(isinstance(spec, EntrySpec) for spec in available_benchmarks().values())
    bench = create_benchmark("fake", {})
    assert isinstance(bench, Benchmark) and bench.name == "fake"
    bench.close()
    with pytest.raises(ConfigError, match="unknown benchmark 'nope'; available: browsergym, fake, miniwob"):
        create_benchmark("nope", {})
