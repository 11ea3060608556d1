"""``screenpilot workflow run|validate|from-run``: scripted RPA workflows."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import (
    add_env_arguments,
    add_policy_arguments,
    env_options,
    parse_kv,
    policy_options,
)
from screenpilot.app.cli.video_flags import add_video_arguments


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "workflow",
        help="run, check or record scripted workflows",
        description="Scripted workflows: YAML files of steps that need no model on a good day.",
    )
    wsub = p.add_subparsers(dest="workflow_command", metavar="SUBCOMMAND")

    run = wsub.add_parser("run", help="run a workflow file", description="Run a workflow in an environment.")
    run.add_argument("file", type=Path, help="the workflow YAML file")
    add_env_arguments(run)
    add_policy_arguments(run, default_policy="")
    g = run.add_argument_group("variables, secrets and output")
    g.add_argument("--var", action="append", metavar="KEY=VALUE", help="override a variable (repeatable)")
    g.add_argument(
        "--secrets-file",
        type=Path,
        help="YAML/JSON mapping or NAME=value lines; $SCREENPILOT_SECRET_<NAME> takes precedence",
    )
    g.add_argument("--out", type=Path, default=Path("runs"), help="directory for run records")
    g.add_argument("--abort-file", type=Path, help="abort the run when this file appears")
    g.add_argument("--quiet", action="store_true", help="print only the result")
    add_video_arguments(run)
    run.set_defaults(handler=handle_run)

    val = wsub.add_parser("validate", help="check workflow files (and the files they call)")
    val.add_argument("files", type=Path, nargs="+")
    val.set_defaults(handler=handle_validate)

    rec = wsub.add_parser(
        "from-run",
        help="compile a successful agent run into a workflow",
        description="Compile a recorded run into a workflow whose clicks target the text under each "
        "click point, keeping the point as a fallback, so the task replays without a model.",
    )
    rec.add_argument("run_dir", type=Path)
    rec.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    rec.add_argument("--name", help="the workflow's name")
    rec.add_argument("--allow-unfinished", action="store_true", help="compile a run that did not succeed")
    rec.set_defaults(handler=handle_from_run)

    def usage(_args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=usage)


def _policy_provider(args: argparse.Namespace) -> Any:
    from screenpilot.agent.registry import create
    from screenpilot.tools.errors import ConfigError

    base = policy_options(args)

    def provide(name: str | None, options: Any) -> Any:
        chosen = name or args.policy
        if not chosen:
            raise ConfigError("this workflow has an agent step: pass --policy (see 'screenpilot list')")
        opts = {**base, **dict(options)} if chosen == args.policy else dict(options)
        return create("policies", chosen, opts)

    return provide


def handle_run(args: argparse.Namespace) -> int:
    import os

    from screenpilot.agent.guards import DomainAllowlistGuard
    from screenpilot.agent.killswitch import KillSwitch
    from screenpilot.agent.registry import create
    from screenpilot.agent.run_recorder import new_run_id
    from screenpilot.agent.secrets import SecretStore
    from screenpilot.app.cli.main import EXIT_CODES
    from screenpilot.app.cli.output import StepPrinter, print_result
    from screenpilot.app.cli.video_flags import continuous_capture, record_video
    from screenpilot.model.policy import Grounder
    from screenpilot.tools.errors import Aborted
    from screenpilot.workflows.loader import load_workflow, tree_secrets
    from screenpilot.workflows.run import WorkflowRunner
    from screenpilot.workflows.secret_source import gather_secrets

    loaded = load_workflow(args.file)
    names = tree_secrets(args.file)
    secrets = SecretStore(gather_secrets(names, environ=os.environ, secrets_file=args.secrets_file))
    provider = _policy_provider(args)
    grounder = None
    if args.policy:
        policy = provider(None, {})
        grounder = policy if isinstance(policy, Grounder) else None
    e_opts = env_options(args)
    env = create("environments", args.env, e_opts)
    kill = KillSwitch(args.abort_file)
    kill.install_signal_handlers()
    runner = WorkflowRunner(
        env,
        grounder=grounder,
        secrets=secrets,
        policies=provider,
        out_dir=args.out,
        kill_switch=kill,
        guards=[DomainAllowlistGuard(args.allow_domains)] if args.allow_domains else [],
        on_step=[StepPrinter(quiet=args.quiet, secrets=secrets)],
        manifest_extra={"environment": args.env, "env_options": e_opts},
    )
    run_id = new_run_id()
    try:
        with continuous_capture(args, env, args.out / run_id):
            result = runner.run(loaded, parse_kv(args.var, "--var"), run_id=run_id)
    except Aborted as e:
        print(f"aborted: {e}", file=sys.stderr)
        record_video(args, args.out / run_id)
        return EXIT_CODES["aborted"]
    finally:
        env.close()
    record_video(args, result.run.run_dir)
    print_result(result.run)
    if result.healed:
        print(f"healed by the model: {', '.join(result.healed)}")
    return EXIT_CODES[result.run.status]


def handle_validate(args: argparse.Namespace) -> int:
    from screenpilot.workflows.loader import validate_tree

    for file in args.files:
        loaded = validate_tree(file)
        main = loaded[0].workflow
        called = f", calls {len(loaded) - 1} workflow file(s)" if len(loaded) > 1 else ""
        print(f"{file}: ok ({main.name!r}, {len(main.steps)} steps{called})")
    return 0


def handle_from_run(args: argparse.Namespace) -> int:
    from screenpilot.agent.trajectory.reader import load_run
    from screenpilot.tools.errors import ConfigError
    from screenpilot.workflows.compile import compile_run

    try:
        trajectory = load_run(args.run_dir)
    except FileNotFoundError as e:
        raise ConfigError(str(e)) from None
    compiled = compile_run(trajectory, name=args.name, allow_unfinished=args.allow_unfinished)
    text = compiled.to_yaml()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({len(compiled.data['steps'])} steps)", file=sys.stderr)
    for warning in compiled.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
