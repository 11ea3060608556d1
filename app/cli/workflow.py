"""``screenpilot workflow run|validate|from-run``: scripted RPA workflows."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import (
    add_env_arguments,
    add_policy_arguments,
    add_run_output_arguments,
    add_secret_arguments,
    env_options,
    parse_kv,
    policy_options,
)
from screenpilot.app.cli.popup_args import add_popup_arguments, popup_handler
from screenpilot.app.cli.video_flags import add_video_arguments

RUN_EXAMPLES = """\
examples:
  SCREENPILOT_SECRET_PASSWORD=wonderland screenpilot workflow run examples/workflows/login.yaml --env fake
  screenpilot workflow run login.yaml --url https://app.example/login --secrets-file secrets.env
  # several files: each runs in a fresh environment; the exit code is the first failure's
  screenpilot workflow run a.yaml b.yaml --env fake --json
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "workflow",
        help="run, check or record scripted workflows",
        description="Scripted workflows: YAML files of steps that need no model on a good day.",
        epilog="examples:\n  screenpilot workflow validate examples/workflows/*.yaml\n"
        "  screenpilot workflow run examples/workflows/login.yaml --env fake --secret password\n",
    )
    wsub = p.add_subparsers(dest="workflow_command", metavar="SUBCOMMAND")

    run = wsub.add_parser(
        "run",
        help="run workflow files",
        description="Run one or more workflow files, each in a new environment. With several "
        "files every one runs, a summary follows, and the exit code is that of the first file "
        "that did not succeed (0 when all did); Ctrl+C stops the rest.",
        epilog=RUN_EXAMPLES,
    )
    run.add_argument("files", type=Path, nargs="+", metavar="FILE", help="workflow YAML files")
    add_env_arguments(run)
    add_policy_arguments(run, default_policy="")
    g = run.add_argument_group("variables, secrets and output")
    g.add_argument("--var", action="append", metavar="KEY=VALUE", help="override a variable (repeatable)")
    add_secret_arguments(g)
    add_run_output_arguments(g)
    add_popup_arguments(run)
    add_video_arguments(run)
    run.set_defaults(handler=handle_run)

    val = wsub.add_parser(
        "validate",
        help="check workflow files (and the files they call)",
        description="Check workflow files and every file they call, without running them; every "
        "problem is reported with its file, line and column, and the exit code is 2 when there is one.",
        epilog="examples:\n  screenpilot workflow validate examples/workflows/login.yaml\n",
    )
    val.add_argument("files", type=Path, nargs="+", metavar="FILE", help="workflow YAML files")
    val.set_defaults(handler=handle_validate)

    rec = wsub.add_parser(
        "from-run",
        help="compile a successful agent run into a workflow",
        description="Compile a recorded run into a workflow whose clicks target the text under each "
        "click point, keeping the point as a fallback, so the task replays without a model. "
        "RUN_DIR may be DIR/latest for the newest run in DIR.",
        epilog="examples:\n  screenpilot workflow from-run runs/latest -o replay.yaml\n",
    )
    rec.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="the run's directory")
    rec.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    rec.add_argument("--name", help="the workflow's name")
    rec.add_argument("--allow-unfinished", action="store_true", help="compile a run that did not succeed")
    rec.set_defaults(handler=handle_from_run)

    def usage(_args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=usage)


def _policy_provider(args: argparse.Namespace, secret_names: list[str]) -> Any:
    from screenpilot.agent.registry import create, with_secret_names
    from screenpilot.tools.errors import ConfigError

    base = policy_options(args)

    def provide(name: str | None, options: Any) -> Any:
        chosen = name or args.policy
        if not chosen:
            raise ConfigError("this workflow has an agent step: pass --policy (see 'screenpilot list')")
        opts = {**base, **dict(options)} if chosen == args.policy else dict(options)
        return create("policies", chosen, with_secret_names(chosen, opts, secret_names))

    return provide


def handle_run(args: argparse.Namespace) -> int:
    from screenpilot.app.cli.interrupt import cli_kill_switch
    from screenpilot.app.cli.output import print_json
    from screenpilot.app.cli.probe import probe_policy
    from screenpilot.workflows.loader import load_workflow

    loaded = [(file, load_workflow(file)) for file in args.files]  # every file checked first
    if args.policy:
        probe_policy(policy_options(args))
    kill = cli_kill_switch(args.abort_file)
    outcomes: list[tuple[Path, dict[str, Any], int]] = []
    for file, workflow in loaded:
        data, code = _run_one(args, file, workflow, kill)
        outcomes.append((file, data, code))
        if code == 130:
            break
    codes = [code for _, _, code in outcomes]
    combined = next((c for c in codes if c != 0), 0)
    if len(args.files) > 1:
        if args.json:
            status = "success" if combined == 0 else "failure"
            print_json({"status": status, "exit_code": combined, "workflows": [d for _, d, _ in outcomes]})
        else:
            _print_summary(outcomes, len(args.files))
    elif args.json:
        print_json(outcomes[0][1])
    return combined


def _print_summary(outcomes: list[tuple[Path, dict[str, Any], int]], planned: int) -> None:
    print(f"\n{len(outcomes)} of {planned} workflows ran:")
    for file, data, code in outcomes:
        print(
            f"  {data['status']:<9} exit {code:<3} {data['steps']:>3} steps "
            f"{data['elapsed_s']:>6.1f}s  {file}"
        )
    ok = sum(code == 0 for _, _, code in outcomes)
    print(f"{ok} succeeded, {len(outcomes) - ok} did not")


def _run_one(args: argparse.Namespace, file: Path, loaded: Any, kill: Any) -> tuple[dict[str, Any], int]:
    """Run one workflow file in a new environment; its ``--json`` object and exit code."""
    from contextlib import ExitStack

    from screenpilot.agent.registry import create
    from screenpilot.agent.run_recorder import new_run_id
    from screenpilot.agent.secrets import SecretStore
    from screenpilot.app.cli.common import gather_cli_secrets
    from screenpilot.app.cli.logs import redact_secrets
    from screenpilot.app.cli.output import exit_code, print_result, recorded_result, result_json
    from screenpilot.app.cli.runs import start_page
    from screenpilot.app.cli.video_flags import continuous_capture, record_video
    from screenpilot.tools.errors import Aborted
    from screenpilot.workflows.loader import tree_secrets

    secrets = SecretStore(gather_cli_secrets(args, tree_secrets(file)))  # before anything starts
    redact_secrets(secrets)
    with ExitStack() as stack:
        e_opts = env_options(args)
        start_page(stack, e_opts)
        env = create("environments", args.env, e_opts)
        stack.callback(env.close)
        runner = _runner(args, env, e_opts, secrets, kill)
        run_id = new_run_id()
        healed: list[str] = []
        try:
            with continuous_capture(args, env, args.out / run_id):
                result = runner.run(loaded, parse_kv(args.var, "--var"), run_id=run_id)
            run, healed = result.run, list(result.healed)
        except Aborted:
            recorded = recorded_result(args.out / run_id)
            if recorded is None:
                raise
            run = recorded
    record_video(args, run.run_dir)
    if not args.json:
        print_result(run)
        if healed:
            print(f"healed by the model: {', '.join(healed)}")
    return result_json(run, workflow=str(file), healed=healed), exit_code(run)


def _runner(args: argparse.Namespace, env: Any, e_opts: dict[str, Any], secrets: Any, kill: Any) -> Any:
    from screenpilot.agent.guards import DomainAllowlistGuard
    from screenpilot.app.cli.output import StepPrinter
    from screenpilot.app.cli.runs import manifest_facts
    from screenpilot.model.policy import Grounder
    from screenpilot.workflows.run import WorkflowRunner

    provider = _policy_provider(args, secrets.names())
    popups = popup_handler(args)
    grounder = None
    if args.policy:
        policy = provider(None, {})
        grounder = policy if isinstance(policy, Grounder) else None
    allowed = e_opts.get("allowed_domains")
    return WorkflowRunner(
        env,
        grounder=grounder,
        secrets=secrets,
        policies=provider,
        out_dir=args.out,
        kill_switch=kill,
        guards=[DomainAllowlistGuard(allowed)] if allowed else [],
        on_step=[StepPrinter(quiet=args.quiet, secrets=secrets, stream=sys.stderr if args.json else None)],
        manifest_extra=manifest_facts(environment=args.env, env_options=e_opts),
        popups=popups,
    )


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
    from screenpilot.app.cli.common import resolve_run_dir
    from screenpilot.tools.errors import ConfigError
    from screenpilot.workflows.compile import compile_run

    try:
        trajectory = load_run(resolve_run_dir(args.run_dir))
    except FileNotFoundError as e:
        raise ConfigError(str(e)) from None
    for problem in trajectory.problems:
        print(f"warning: {problem}", file=sys.stderr)
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
