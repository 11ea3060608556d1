"""Named benchmarks, as :class:`~screenpilot.agent.entries.EntrySpec` in the agent's loader.

A factory takes the benchmark's options mapping and returns a
:class:`~screenpilot.benchmarks.evaluator.Benchmark`. Plugins add their own through the
entry-point group ``screenpilot.benchmarks``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from screenpilot.agent.entries import EntrySpec, Registry

if TYPE_CHECKING:
    from screenpilot.benchmarks.evaluator import Benchmark

BENCHMARKS: dict[str, EntrySpec] = {
    "miniwob": EntrySpec(
        "screenpilot.benchmarks.miniwob.suite:from_options",
        extra="bench",
        summary="MiniWoB++ tasks in Chromium, scored by the page's own reward",
    ),
    "browsergym": EntrySpec(
        "screenpilot.benchmarks.browsergym.suite:from_options",
        extra="browsergym",
        summary="a BrowserGym suite (MiniWoB++, WebArena...) scored by BrowserGym's reward",
    ),
    "fake": EntrySpec(
        "screenpilot.benchmarks.fake:from_options",
        summary="tasks on the fake sign-in app with injectable faults, for testing the runner",
    ),
}

REGISTRY = Registry("benchmark", BENCHMARKS, "screenpilot.benchmarks")


def available_benchmarks() -> dict[str, EntrySpec]:
    """Built-in and plug-in benchmarks, by name."""
    return REGISTRY.entries()


def create_benchmark(name: str, options: Mapping[str, Any]) -> Benchmark:
    """Build the benchmark registered as ``name``.

    Raises:
        ConfigError: For an unknown name or a missing optional dependency (the message
            names the benchmark's extra).
    """
    bench: Benchmark = REGISTRY.create(name, options)
    return bench
