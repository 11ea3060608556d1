"""Planner + grounder: one chat model decides what to do, another finds where.

The planner (any OpenAI-compatible chat model, text-only or vision) sees the task, the
steps so far and a compact listing of the screen's elements (or OCR lines); it answers
with one JSON action whose targets are descriptions. A grounder (Qwen3-VL grounding, the
offline grounder, any registered one) turns each description into a point. This is the
split Agent-S and cua use.
"""
