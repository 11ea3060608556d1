"""Benchmarks: task specs, evaluators, the resumable parallel runner, MiniWoB++, grounding.

The runner lives in :mod:`screenpilot.benchmarks.runner`; benchmarks register in
:mod:`screenpilot.benchmarks.registry`; MiniWoB++ in :mod:`screenpilot.benchmarks.miniwob`; ScreenSpot-style
grounding evaluation in :mod:`screenpilot.benchmarks.grounding`.
"""
