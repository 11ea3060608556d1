"""The shortest way to run a task from Python.

Example::

    from screenpilot import demo_page, run

    result = run('type "ada" into User name and click Sign in', url=demo_page())
    print(result.status, result.run_dir)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.popups import PopupHandler
from screenpilot.agent.registry import create
from screenpilot.agent.result import RunResult, StepEvent
from screenpilot.agent.secrets import SecretStore
from screenpilot.app.cli.local_pages import served_url
from screenpilot.app.cli.probe import probe_policy

StepCallback = Callable[[StepEvent], None]


def default_policy(endpoint: str | None, model_path: str | Path | None) -> str:
    """The policy the model arguments imply: a served Qwen3-VL with an endpoint, a local
    checkpoint with a path, the offline policy otherwise (as on the command line)."""
    if endpoint:
        return "qwen3vl"
    if model_path:
        return "qwen3vl-local"
    return "offline"


def run(
    task: str,
    *,
    url: str | Path | None = None,
    env: str = "browser",
    policy: str | None = None,
    endpoint: str | None = None,
    model: str | None = None,
    model_path: str | Path | None = None,
    api_key: str | None = None,
    max_steps: int | None = None,
    env_options: Mapping[str, Any] | None = None,
    policy_options: Mapping[str, Any] | None = None,
    config: AgentConfig | None = None,
    secrets: Mapping[str, str] | None = None,
    out_dir: str | Path | None = "runs",
    on_step: StepCallback | Sequence[StepCallback] = (),
    popups: bool = True,
) -> RunResult:
    """Run ``task`` in a new environment with a registered policy, then close the environment.

    Args:
        task: What to do, in plain words.
        url: Browser: the page to open first: a URL, or a local HTML file (``str`` or
            ``Path``), which is served from 127.0.0.1 for the run.
        env: A registered environment name (``screenpilot list``).
        policy: A registered policy name; by default ``qwen3vl`` with ``endpoint``,
            ``qwen3vl-local`` with ``model_path`` and ``offline`` (no model) otherwise.
        endpoint: An OpenAI-compatible server's base URL (``http://127.0.0.1:8000/v1``);
            it is probed before the first step.
        model: The served model's name.
        model_path: A local checkpoint directory (``str`` or ``Path``).
        api_key: The server's API key.
        max_steps: Step budget (overrides ``config.max_steps``).
        env_options: Options for the environment's factory.
        policy_options: Options for the policy's factory.
        config: Budgets and timeouts (``AgentConfig()`` by default).
        secrets: Secret values by name; policies refer to them by name only.
        out_dir: Where the run is recorded (``str`` or ``Path``; ``None`` records nothing).
        on_step: Called with each finished step.
        popups: Dismiss popups the shipped rules recognise before the policy is asked
            (docs/popups.md).

    Returns:
        The run's result: ``status``, ``reason``, ``answer``, ``steps``, ``run_dir``.

    Raises:
        ConfigError: Unknown names or options, a missing extra, a refused API key.
        ModelTransportError: ``endpoint`` does not answer.
        Aborted: The run was stopped from outside (recorded as ``aborted`` first).
    """
    p_opts: dict[str, Any] = dict(policy_options or {})
    extra = {"endpoint": endpoint, "model": model, "model_path": model_path, "api_key": api_key}
    p_opts.update({k: str(v) for k, v in extra.items() if v is not None})
    chosen = policy or default_policy(endpoint, model_path)
    if config is None:
        config = AgentConfig()
    if max_steps is not None:
        config = config.model_copy(update={"max_steps": max_steps})
    probe_policy(p_opts)
    callbacks = [on_step] if callable(on_step) else list(on_step)
    with ExitStack() as stack:
        e_opts = dict(env_options or {})
        if url is not None:
            e_opts["url"] = stack.enter_context(served_url(url))
        environment = create("environments", env, e_opts)
        stack.callback(environment.close)
        agent = Agent(
            environment,
            create("policies", chosen, p_opts),
            config,
            secrets=SecretStore(secrets),
            out_dir=out_dir,
            on_step=callbacks,
            manifest_extra={"environment": env, "env_options": e_opts},
            popups=PopupHandler() if popups else None,
        )
        return agent.run(task)
    raise AssertionError("unreachable")  # pragma: no cover (ExitStack re-raises)
