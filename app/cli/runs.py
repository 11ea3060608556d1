"""What the verbs that run agents share: a local start page, the manifest's facts about the
process, running to the end (an aborted run's recorded result included) and the ending."""

from __future__ import annotations

import argparse
import os
import socket
from contextlib import ExitStack
from typing import Any

from screenpilot.agent.loop import Agent, new_run_id
from screenpilot.agent.result import RunResult
from screenpilot.app.cli.local_pages import LOOPBACK, local_file, served_url
from screenpilot.app.cli.output import exit_code, print_json, print_result, recorded_result, result_json
from screenpilot.tools.errors import Aborted


def start_page(stack: ExitStack, e_opts: dict[str, Any]) -> None:
    """Serve a local ``url`` for as long as ``stack`` lasts (allowing its host when the
    navigation is restricted)."""
    url = e_opts.get("url")
    if not url or local_file(str(url)) is None:
        return
    e_opts["url"] = stack.enter_context(served_url(str(url)))
    if e_opts.get("allowed_domains"):
        e_opts["allowed_domains"] = [*e_opts["allowed_domains"], LOOPBACK]


def manifest_facts(**extra: Any) -> dict[str, Any]:
    """Fields for ``manifest.json``: the caller's, plus the process that writes the run (the
    web UI tells a run still going from one whose process died)."""
    return {**extra, "pid": os.getpid(), "host": socket.gethostname()}


def run_to_end(agent: Agent, task: str, run_id: str | None = None) -> RunResult:
    """``agent.run(task)``; when it is aborted, the result it recorded before raising."""
    run_id = run_id or new_run_id()
    try:
        return agent.run(task, run_id=run_id)
    except Aborted:
        recorded = recorded_result(agent.out_dir / run_id if agent.out_dir else None)
        if recorded is None:
            raise
        return recorded


def finish_run(args: argparse.Namespace, result: RunResult, **extra: Any) -> int:
    """Print the result (text, or one JSON object with ``--json``) and return its exit code."""
    if getattr(args, "json", False):
        print_json(result_json(result, **extra))
    else:
        print_result(result)
    return exit_code(result)
