"""``screenpilot run TASK``: one natural-language task in one environment."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from screenpilot.app.cli.common import (
    add_budget_arguments,
    add_env_arguments,
    add_policy_arguments,
    add_run_output_arguments,
    add_secret_arguments,
)
from screenpilot.app.cli.popup_args import add_popup_arguments, popup_handler
from screenpilot.app.cli.video_flags import add_video_arguments

DEFAULT_POLICY = "offline"
log = logging.getLogger(__name__)

EXAMPLES = """\
examples:
  # the offline policy (no model) on a page that ships with screenpilot
  screenpilot run 'type "ada" into User name, type "lovelace" into Password and click Sign in' \\
      --url app/demo_site/login.html
  # Qwen3-VL behind an OpenAI-compatible server; the password from $SCREENPILOT_SECRET_PASSWORD
  screenpilot run "log in as alice" --url https://app.example --secret password \\
      --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen3-VL-8B-Instruct
  # for CI: one JSON object on stdout, the exit code says how it ended
  screenpilot run 'click "Invoices"' --env fake --json
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "run",
        help="run a natural-language task",
        description="Run one task: observe, ask the policy, act, until done or out of budget. "
        "The run is recorded under --out; the exit code says how it ended.",
        epilog=EXAMPLES,
    )
    p.add_argument("task", help="what to do, in plain words")
    add_env_arguments(p)
    add_policy_arguments(p, default_policy=DEFAULT_POLICY)
    add_budget_arguments(p.add_argument_group("budgets"))
    g = p.add_argument_group("secrets and output")
    add_secret_arguments(g)
    add_run_output_arguments(g)
    add_popup_arguments(p)
    add_video_arguments(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.guards import DomainAllowlistGuard
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import load_factory, with_secret_names
    from screenpilot.agent.run_recorder import new_run_id
    from screenpilot.agent.secrets import SecretStore
    from screenpilot.app.cli.common import env_options, gather_cli_secrets, policy_options
    from screenpilot.app.cli.interrupt import cli_kill_switch
    from screenpilot.app.cli.logs import redact_secrets
    from screenpilot.app.cli.output import StepPrinter
    from screenpilot.app.cli.probe import probe_policy
    from screenpilot.app.cli.runs import finish_run, manifest_facts, run_to_end, start_page
    from screenpilot.app.cli.video_flags import continuous_capture, record_video
    from screenpilot.tools.options import validate_options

    config = validate_options(
        AgentConfig,
        {
            "max_steps": args.max_steps,
            "max_seconds": args.max_seconds,
            "model_timeout_s": args.model_timeout,
            "abort_file": args.abort_file,
        },
        what="the run's budgets (--max-steps, --max-seconds, --model-timeout)",
    )
    secrets = SecretStore(gather_cli_secrets(args))
    popups = popup_handler(args)
    redact_secrets(secrets)
    e_opts = env_options(args)
    p_opts = with_secret_names(args.policy, policy_options(args), secrets.names())
    make_env = load_factory("environments", args.env)  # both names checked before building
    make_policy = load_factory("policies", args.policy)
    log.debug(
        "environment %r with %s; policy %r with options %s", args.env, e_opts, args.policy, sorted(p_opts)
    )
    probe_policy(p_opts)  # before the policy loads its client library: a down server in a second
    policy = make_policy(p_opts)
    kill = cli_kill_switch(args.abort_file)
    with ExitStack() as stack:
        start_page(stack, e_opts)
        env = make_env(e_opts)
        stack.callback(env.close)
        allowed = e_opts.get("allowed_domains")
        printer = StepPrinter(quiet=args.quiet, secrets=secrets, stream=_steps_stream(args))
        agent = Agent(
            env,
            policy,
            config,
            guards=[DomainAllowlistGuard(allowed)] if allowed else [],
            secrets=secrets,
            kill_switch=kill,
            out_dir=args.out,
            on_step=[printer],
            manifest_extra=manifest_facts(environment=args.env, env_options=e_opts),
            on_wait=[printer.waiting],
            popups=popups,
        )
        run_id = new_run_id()
        with continuous_capture(args, env, args.out / run_id):
            result = run_to_end(agent, args.task, run_id)
    record_video(args, result.run_dir)
    return finish_run(args, result)


def _steps_stream(args: argparse.Namespace) -> Any:
    import sys

    return sys.stderr if args.json else sys.stdout
