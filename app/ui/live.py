"""Runs started from the UI, and following any run's events as they are written."""

from __future__ import annotations

import asyncio
import json
import threading
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.loop import Agent, new_run_id
from screenpilot.agent.registry import create
from screenpilot.app.cli.runs import manifest_facts
from screenpilot.tools.errors import Aborted, ScreenpilotError

_POLL_S = 0.15
DEFAULT_MAX_STEPS = 30


class RunRequest(BaseModel):
    """What the page posts to ``/api/live``."""

    model_config = ConfigDict(extra="forbid")

    task: str = Field(min_length=1)
    env: str = "fake"
    env_options: dict[str, Any] = Field(default_factory=dict)
    policy: str
    policy_options: dict[str, Any] = Field(default_factory=dict)
    max_steps: int = Field(default=DEFAULT_MAX_STEPS, ge=1, le=500)
    max_seconds: float = Field(default=600.0, gt=0.0)


class _Live:
    def __init__(self) -> None:
        self.kill = KillSwitch()
        self.error: str | None = None
        self.done = threading.Event()


class LiveRuns:
    """Starts runs on their own threads (environments are bound to the thread that made them)."""

    def __init__(self, runs_dir: Path) -> None:
        self.runs_dir = runs_dir
        self._lock = threading.Lock()
        self._runs: dict[str, _Live] = {}

    def start(self, request: RunRequest) -> str:
        """Start a run in the background and return its id (its directory's name)."""
        run_id = new_run_id()
        live = _Live()
        with self._lock:
            self._runs[run_id] = live
        thread = threading.Thread(
            target=self._run, args=(request, run_id, live), name=f"run-{run_id}", daemon=True
        )
        thread.start()
        return run_id

    def stop(self, run_id: str) -> bool:
        live = self._runs.get(run_id)
        if live is None:
            return False
        live.kill.trip("stopped from the web UI")
        return True

    def error(self, run_id: str) -> str | None:
        """Why a run started here failed before recording anything, if it did."""
        live = self._runs.get(run_id)
        return live.error if live else None

    def running(self, run_id: str) -> bool:
        live = self._runs.get(run_id)
        return live is not None and not live.done.is_set()

    def stop_all(self, timeout_s: float = 5.0) -> None:
        for live in list(self._runs.values()):
            live.kill.trip("the web UI is shutting down")
        for live in list(self._runs.values()):
            live.done.wait(timeout_s)

    def _run(self, request: RunRequest, run_id: str, live: _Live) -> None:
        env = None
        try:
            policy = create("policies", request.policy, request.policy_options)
            env = create("environments", request.env, request.env_options)
            agent = Agent(
                env,
                policy,
                AgentConfig(max_steps=request.max_steps, max_seconds=request.max_seconds),
                kill_switch=live.kill,
                out_dir=self.runs_dir,
                manifest_extra=manifest_facts(
                    environment=request.env, env_options=request.env_options, source="ui"
                ),
            )
            agent.run(request.task, run_id=run_id)
        except Aborted:
            pass  # the result is recorded as aborted; stopping is what the user asked for
        except ScreenpilotError as e:
            live.error = f"{type(e).__name__}: {e}"
        except Exception as e:  # a bug in a plug-in: show it instead of a silent dead run
            live.error = f"{type(e).__name__}: {e}\n{traceback.format_exc()}"
        finally:
            if env is not None:
                env.close()
            live.done.set()


def sse(event: str, data: Any) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


async def follow_events(
    run_dir: Path,
    view: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    failed: Callable[[], str | None] = lambda: None,
    alive: Callable[[], bool] = lambda: False,
) -> AsyncIterator[str]:
    """Yield SSE messages for each event of ``run_dir`` as it is written, until the run ends.

    Args:
        run_dir: The run to follow (it may not exist yet).
        view: Turns a ``step`` event into what the page draws.
        failed: Why the run failed to start (ends the stream with an ``error`` event).
        alive: Whether something is still expected to write the run (a run started here,
            or one whose recording process is still running). A run nothing writes any more
            and that has no result ends the stream with an ``end`` event of status
            ``unfinished``.
    """
    offset, pending = 0, b""
    events = run_dir / "events.jsonl"
    while True:
        if events.exists():
            with events.open("rb") as f:
                f.seek(offset)
                chunk = f.read()
            offset += len(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                if line.strip():
                    yield _message(json.loads(line), view)
        if (run_dir / "result.json").exists() and not pending:
            result = json.loads((run_dir / "result.json").read_text(encoding="utf-8"))
            yield sse("end", result)
            return
        reason = failed()
        if reason is not None:
            yield sse("error", {"error": reason})
            return
        if not alive():
            if not events.exists():
                yield sse("error", {"error": f"no run at {run_dir.name}"})
                return
            if not pending:
                yield sse("end", _unfinished(run_dir))
                return
        await asyncio.sleep(_POLL_S)


def _unfinished(run_dir: Path) -> dict[str, Any]:
    steps = 0
    with (run_dir / "events.jsonl").open("rb") as f:
        for line in f:
            try:
                steps += json.loads(line).get("type") == "step"
            except (json.JSONDecodeError, AttributeError):
                continue  # a torn last line
    reason = "the process recording it stopped before it finished (killed?); no result was written"
    return {"status": "unfinished", "reason": reason, "steps": steps}


def _message(event: dict[str, Any], view: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
    kind = str(event.get("type"))
    if kind == "step":
        return sse("step", view(event))
    return sse("event", event)
