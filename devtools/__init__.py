"""Maintainer tools (not installed): performance scripts and README image generators.

Run them from a checkout, e.g. ``python -m devtools.perf.browser_latency``.
"""
