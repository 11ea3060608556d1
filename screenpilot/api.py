"""The shortest way to run a task from Python.

Example::

    from screenpilot import run

    result = run('click "More information"', url="https://example.org")
    print(result.status, result.run_dir)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.popups import PopupHandler
from screenpilot.agent.registry import create
from screenpilot.agent.result import RunResult
from screenpilot.agent.secrets import SecretStore


def run(
    task: str,
    *,
    url: str | None = None,
    env: str = "browser",
    policy: str = "offline",
    env_options: Mapping[str, Any] | None = None,
    policy_options: Mapping[str, Any] | None = None,
    config: AgentConfig | None = None,
    secrets: Mapping[str, str] | None = None,
    out_dir: str | Path | None = "runs",
    popups: bool = True,
) -> RunResult:
    """Run ``task`` in a new environment with a registered policy, then close the environment.

    Args:
        task: What to do, in plain words.
        url: Browser: the page to open first.
        env: A registered environment name (``screenpilot list``).
        policy: A registered policy name; the default needs no model.
        env_options: Options for the environment's factory.
        policy_options: Options for the policy's factory.
        config: Budgets and timeouts (``AgentConfig()`` by default).
        secrets: Secret values by name; policies refer to them by name only.
        out_dir: Where the run is recorded (``None`` records nothing).
        popups: Dismiss popups the shipped rules recognise before the policy is asked
            (docs/popups.md).

    Returns:
        The run's result: ``status``, ``reason``, ``answer``, ``run_dir``.
    """
    e_opts = dict(env_options or {})
    if url is not None:
        e_opts["url"] = url
    environment = create("environments", env, e_opts)
    try:
        agent = Agent(
            environment,
            create("policies", policy, dict(policy_options or {})),
            config,
            secrets=SecretStore(secrets),
            out_dir=out_dir,
            manifest_extra={"environment": env, "env_options": e_opts},
            popups=PopupHandler() if popups else None,
        )
        return agent.run(task)
    finally:
        environment.close()
