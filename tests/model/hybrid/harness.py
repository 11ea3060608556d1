"""Run one task of the hybrid task set with a policy, in Chromium, against the scripted model.

Shared by the sample test (``tests/model/test_hybrid_taskset.py``) and the full table
(``python -m devtools.hybrid_table``).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from tests.model.hybrid.oracle import TRUTH_JS, TaskOracle
from tests.model.hybrid.tasks import HybridTask
from tests.model.qwen_server import QwenTestServer
from tests.model.truth_recorder import TruthRecorder

PAGES = Path(__file__).parent / "pages"
VIEWPORT = (1280, 800)
MODEL = "Qwen/Qwen3-VL-8B-Instruct"


@dataclass(frozen=True)
class Outcome:
    """How one run of one task went."""

    task: str
    policy: str
    success: bool
    status: str
    model_calls: int
    steps: int
    decided_by: tuple[str, ...]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the output to the results."""


@contextmanager
def serve_pages() -> Iterator[str]:
    """The task pages over HTTP on 127.0.0.1 (the base URL)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(PAGES)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def policy_options(policy: str, endpoint: str) -> dict[str, Any]:
    base: dict[str, Any] = {"endpoint": endpoint, "model": MODEL, "retries": 0}
    return base if policy == "qwen3vl" else {**base, "offline.max_wait_s": "2"}


def run_task(
    task: HybridTask, policy: str, base_url: str, out_dir: Path, *, max_steps: int = 20, trace: bool = False
) -> Outcome:
    """Run ``task`` with ``policy`` (``qwen3vl`` or ``hybrid``) and check the page after."""
    env = BrowserEnvironment(
        BrowserConfig(
            executable_path="/usr/bin/chromium",
            viewport_width=VIEWPORT[0],
            viewport_height=VIEWPORT[1],
            start_url=f"{base_url}/{task.page}",
            settle_quiet_s=0.05,
        )
    )
    rec = TruthRecorder(env, TRUTH_JS, {"els": {}, "state": {}, "focus": None})
    oracle = TaskOracle(task, lambda: rec.truth, VIEWPORT)
    try:
        with QwenTestServer(oracle) as server:
            agent_policy = create("policies", policy, policy_options(policy, server.url))
            config = AgentConfig(max_steps=max_steps, retry=RetryConfig(base_s=0.01, max_s=0.05))
            result = Agent(rec, agent_policy, config, out_dir=out_dir).run(task.text)
            rec.observe()
            final = rec.truth
    finally:
        env.close()
    steps = load_run(result.run_dir).steps if result.run_dir else []
    if trace:
        for s in steps:
            print("   ", s.get("decided_by"), s.get("times"), s.get("thought", "")[:100])
    return Outcome(
        task=task.id,
        policy=policy,
        success=result.status == "success" and task.success(final),
        status=result.status,
        model_calls=oracle.calls,
        steps=len(steps),
        decided_by=tuple(str(s.get("decided_by", "")) for s in steps),
    )
