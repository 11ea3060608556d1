"""Benchmarks: task specs, evaluators, the resumable parallel runner, MiniWoB++, grounding.

The runner lives in :mod:`benchmarks.runner`; benchmarks register in
:mod:`benchmarks.registry`; MiniWoB++ in :mod:`benchmarks.miniwob`; ScreenSpot-style
grounding evaluation in :mod:`benchmarks.grounding`.
"""
