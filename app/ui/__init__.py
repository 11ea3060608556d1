"""The web UI (``screenpilot ui``): ground a screenshot, watch live runs, browse reports.

A small Starlette app served by uvicorn; see ``docs/ui.md`` for why.
"""
