"""Recording the runs an export reads, in real Chromium.

* a MiniWoB++ benchmark directory solved by the offline policy (the page's reward decides);
* a workflow that signs in on a local page with a canary password;
* a scripted Qwen3-VL run: the real ``QwenPolicy`` (prompt, parser, action mapping) over a
  backend that replays fixed answers and keeps every request it was sent, plus a run that
  gives up at once (an unsuccessful run the export must skip).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore
from screenpilot.benchmarks.executor import InlineExecutor
from screenpilot.benchmarks.miniwob.suite import MiniWoBBenchmark, MiniWoBOptions
from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
from screenpilot.benchmarks.spec import ComponentSpec, RunSpec
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.model.backends.base import ChatRequest, Completion
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.workflows import WorkflowRunner, load_workflow

PAGES = Path(__file__).parent / "pages"
CANARY = "wonderland-canary-7f3a"
"""The password every run types; no exported file may contain it."""
VIEWPORT = (480, 360)
MINIWOB_TASKS = {"click-button": 1, "enter-text": 1, "click-checkboxes": 1}

WORKFLOW = """
name: signin
description: Sign in as alice.
variables: {user: alice}
secrets: [password]
steps:
  - type: ${user}
    into: {text: Username, role: textbox}
  - type: {secret: password}
    into: {text: Password, role: textbox}
  - click: {text: Sign in, role: button}
  - wait_for: "Welcome, ${user}"
"""

_CENTERS = """() => Object.fromEntries(['user', 'pw', 'go'].map(id => {
  const r = document.getElementById(id).getBoundingClientRect();
  return [id, [r.x + r.width / 2, r.y + r.height / 2]];
}))"""


@dataclass
class ReplayBackend:
    """A chat backend that answers from a list and keeps the requests."""

    answers: list[str]
    requests: list[ChatRequest] = field(default_factory=list)

    @property
    def model_id(self) -> str:
        return "Qwen/Qwen3-VL-8B-Instruct"

    def complete(self, request: ChatRequest) -> Completion:
        self.requests.append(request)
        return Completion(text=self.answers[len(self.requests) - 1])


@dataclass(frozen=True)
class QwenRuns:
    """The scripted Qwen3-VL runs: the successful one with its requests, and a failed one."""

    success: Path
    requests: list[ChatRequest]
    failure: Path


def call(tool: str, **arguments: object) -> str:
    """An answer as a model writes it: one tool call."""
    import json

    return "<tool_call>\n" + json.dumps({"name": tool, "arguments": arguments}) + "\n</tool_call>"


def record_miniwob(out: Path) -> Path:
    def make_env() -> BrowserEnvironment:
        return BrowserEnvironment(BrowserConfig(viewport_width=160, viewport_height=210, settle_quiet_s=0.1))

    tasks = MiniWoBBenchmark(MiniWoBOptions()).tasks()
    spec = RunSpec(
        benchmark=ComponentSpec(name="miniwob"),
        environment=ComponentSpec(name="browser"),
        policy=ComponentSpec(name="offline"),
        episode_time_limit_s=30,
    )
    planned = [e for task, n in MINIWOB_TASKS.items() for e in plan_episodes(select_tasks(tasks, [task]), n)]
    BenchmarkRunner(spec, out, InlineExecutor(make_env=make_env)).run(planned)
    return out


def _browser(start: str) -> BrowserEnvironment:
    width, height = VIEWPORT
    return BrowserEnvironment(
        BrowserConfig(start_url=start, viewport_width=width, viewport_height=height, settle_quiet_s=0.1)
    )


def record_workflow(runs: Path, site: str) -> tuple[Path, dict[str, list[float]]]:
    path = runs.parent / "signin.yaml"
    path.write_text(WORKFLOW, encoding="utf-8")
    env = _browser(f"{site}/signin.html")
    try:
        env.reset()
        centers = env.evaluate(_CENTERS)
        runner = WorkflowRunner(env, out_dir=runs, secrets=SecretStore({"password": CANARY}))
        result = runner.run(load_workflow(path))
    finally:
        env.close()
    assert result.success, result.run.reason
    assert result.run.run_dir is not None
    return result.run.run_dir, centers


def _rel(center: list[float]) -> list[int]:
    """A point near ``center`` in relative 0..1000 (off centre by a few pixels, so that the
    run's screens and answers are not the workflow's, which an export keeps once)."""
    width, height = VIEWPORT
    return [round(center[0] / width * 1000) + 9, round(center[1] / height * 1000) + 6]


def record_qwen(runs: Path, site: str, centers: dict[str, list[float]]) -> QwenRuns:
    answers = [
        call("browser_use", action="navigate", url=f"{site}/signin.html"),
        call("computer_use", action="left_click", coordinate=_rel(centers["user"])),
        call("computer_use", action="type", text="alice"),
        call("computer_use", action="left_click", coordinate=_rel(centers["pw"])),
        call("computer_use", action="type", text="{{secret:password}}"),
        call("computer_use", action="left_click", coordinate=_rel(centers["go"])),
        call("computer_use", action="terminate", status="success"),
    ]
    config = AgentConfig(max_steps=10, settle_timeout_s=2.0)
    secrets = SecretStore({"password": CANARY})
    options = QwenPromptOptions(secrets=("password",))
    done = []
    for script in (answers, [call("computer_use", action="terminate", status="failure")]):
        backend = ReplayBackend(script)
        policy = QwenPolicy(backend, options.policy_config(backend.model_id))
        env = _browser("about:blank")
        try:
            result = Agent(env, policy, config, secrets=secrets, out_dir=runs).run("Sign in as alice")
        finally:
            env.close()
        assert result.run_dir is not None
        done.append((result, backend))
    (ok, ok_backend), (failed, _) = done
    assert ok.status == "success", ok.reason
    assert failed.status == "failure"
    assert ok.run_dir is not None and failed.run_dir is not None
    return QwenRuns(success=ok.run_dir, requests=ok_backend.requests, failure=failed.run_dir)
