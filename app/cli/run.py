"""``screenpilot run TASK``: one natural-language task in one environment."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import add_env_arguments, add_policy_arguments, env_options, policy_options
from screenpilot.app.cli.video_flags import add_video_arguments

DEFAULT_POLICY = "offline"


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "run",
        help="run a natural-language task",
        description="Run one task: observe, ask the policy, act, until done or out of budget.",
    )
    p.add_argument("task", help="what to do, in plain words")
    add_env_arguments(p, default_env="browser")
    add_policy_arguments(p, default_policy=DEFAULT_POLICY)
    g = p.add_argument_group("budgets and output")
    g.add_argument("--max-steps", type=int, default=30)
    g.add_argument("--max-seconds", type=float, default=600.0)
    g.add_argument("--model-timeout", type=float, default=120.0)
    g.add_argument("--out", type=Path, default=Path("runs"), help="directory for run records")
    g.add_argument("--abort-file", type=Path, help="abort the run when this file appears")
    g.add_argument(
        "--secret",
        action="append",
        metavar="NAME",
        help="make secret NAME available, read from $SCREENPILOT_SECRET_<NAME>",
    )
    g.add_argument("--quiet", action="store_true", help="print only the result")
    add_video_arguments(p)
    p.set_defaults(handler=handle)


def _secrets(names: list[str] | None) -> dict[str, str]:
    from screenpilot.tools.errors import ConfigError

    out = {}
    for name in names or []:
        var = f"SCREENPILOT_SECRET_{name.upper()}"
        if var not in os.environ:
            raise ConfigError(f"secret {name!r} needs the environment variable {var}")
        out[name] = os.environ[var]
    return out


def handle(args: argparse.Namespace) -> int:
    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.guards import DomainAllowlistGuard
    from screenpilot.agent.killswitch import KillSwitch
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import load_factory
    from screenpilot.agent.run_recorder import new_run_id
    from screenpilot.agent.secrets import SecretStore
    from screenpilot.app.cli.main import EXIT_CODES
    from screenpilot.app.cli.output import StepPrinter, print_result
    from screenpilot.app.cli.video_flags import continuous_capture, record_video
    from screenpilot.tools.errors import Aborted

    config = AgentConfig(
        max_steps=args.max_steps,
        max_seconds=args.max_seconds,
        model_timeout_s=args.model_timeout,
        abort_file=args.abort_file,
    )
    secrets = SecretStore(_secrets(args.secret))
    e_opts, p_opts = env_options(args), policy_options(args)
    make_env = load_factory("environments", args.env)  # both names checked before building
    make_policy = load_factory("policies", args.policy)
    policy = make_policy(p_opts)
    env = make_env(e_opts)
    guards = [DomainAllowlistGuard(args.allow_domains)] if args.allow_domains else []
    kill = KillSwitch(args.abort_file)
    kill.install_signal_handlers()
    printer = StepPrinter(quiet=args.quiet, secrets=secrets)
    agent = Agent(
        env,
        policy,
        config,
        guards=guards,
        secrets=secrets,
        kill_switch=kill,
        out_dir=args.out,
        on_step=[printer],
        manifest_extra={"environment": args.env, "env_options": e_opts},
    )
    run_id = new_run_id()
    try:
        with continuous_capture(args, env, args.out / run_id):
            result = agent.run(args.task, run_id=run_id)
    except Aborted as e:
        print(f"aborted: {e}", file=sys.stderr)
        record_video(args, args.out / run_id)
        return EXIT_CODES["aborted"]
    finally:
        env.close()
    record_video(args, result.run_dir)
    print_result(result)
    return EXIT_CODES[result.status]
