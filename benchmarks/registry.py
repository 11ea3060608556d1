"""Named benchmarks, imported lazily from ``"module:function"`` factories.

A factory takes the benchmark's options mapping and returns a
:class:`~benchmarks.evaluator.Benchmark`. Plugins add their own through the entry-point
group ``screenpilot.benchmarks``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from screenpilot.benchmarks.evaluator import Benchmark
from screenpilot.tools.errors import ConfigError

BENCHMARKS: dict[str, str] = {
    "miniwob": "screenpilot.benchmarks.miniwob.suite:from_options",
    "fake": "screenpilot.benchmarks.fake:from_options",
}


def available_benchmarks() -> dict[str, str]:
    plugins = {ep.name: ep.value for ep in entry_points(group="screenpilot.benchmarks")}
    return {**plugins, **BENCHMARKS}


def create_benchmark(name: str, options: Mapping[str, Any]) -> Benchmark:
    """Build the benchmark registered as ``name``.

    Raises:
        ConfigError: For an unknown name or a missing optional dependency.
    """
    entries = available_benchmarks()
    if name not in entries:
        raise ConfigError(f"unknown benchmark {name!r}; available: {', '.join(sorted(entries))}")
    module_name, _, attr = entries[name].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise ConfigError(
            f"benchmark {name!r} needs the optional dependency {e.name!r}; "
            "install it with pip install 'screenpilot[bench]'"
        ) from e
    bench: Benchmark = getattr(module, attr)(options)
    return bench
