"""Prompt styles for Qwen3-VL, selectable by name (``-P prompt=...``).

* ``cookbook`` (default): the Qwen3-VL authors' cookbooks, byte for byte:
  ``computer_use.ipynb`` for ``computer_use``, ``mobile_agent.ipynb`` for ``mobile_use``.
* ``osworld``: the OSWorld Qwen3-VL agent (``mm_agents/qwen3vl_agent.py``) for
  ``computer_use`` (``mobile_use`` falls back to the mobile notebook).
* ``screenpilot``: the project's own format (Thought / Action / tool_call with the mobile
  notebook's response-format block on every tool).

:func:`screenpilot.model.qwen.styles.choose.make_style` builds one.
"""
