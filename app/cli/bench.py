"""``screenpilot bench``: benchmark runs (MiniWoB++ and others) and grounding evaluation."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import add_policy_arguments, parse_kv, policy_options


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="run benchmarks and grounding evaluations",
        description="Benchmarks: MiniWoB++ episodes over worker processes (resumable), "
        "ScreenSpot-style grounding accuracy, and a generator of grounding samples.",
    )
    bsub = p.add_subparsers(dest="bench_command", metavar="BENCH_COMMAND")
    _add_miniwob(bsub)
    _add_browsergym(bsub)
    _add_run(bsub)
    _add_list(bsub)
    _add_grounding(bsub)
    _add_generate(bsub)

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=usage)


def _add_episode_arguments(p: argparse.ArgumentParser, *, default_env: str | None) -> None:
    add_policy_arguments(p, default_policy="dom-match")
    g = p.add_argument_group("environment")
    shown = default_env or "the benchmark's own"
    g.add_argument("--env", default=default_env, help=f"environment name (default: {shown})")
    g.add_argument("--headed", action="store_true", help="browser: show the windows")
    g.add_argument(
        "-E", "--env-opt", action="append", metavar="KEY=VALUE", help="environment option (repeatable)"
    )
    r = p.add_argument_group("run")
    r.add_argument(
        "--tasks", nargs="+", default=[], metavar="GLOB", help="tasks to run (globs; default: all)"
    )
    r.add_argument("--exclude", nargs="+", default=[], metavar="GLOB", help="tasks to leave out (globs)")
    r.add_argument("--episodes", type=int, default=5, help="seeded episodes per task (default: 5)")
    r.add_argument("--seed", type=int, default=0, help="seed of each task's first episode (default: 0)")
    r.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default 1); 0 runs in this process; with --executor ray: "
        "the most Ray workers (default: every slot of the cluster)",
    )
    r.add_argument(
        "--executor",
        choices=["local", "ray"],
        default="local",
        help="where episodes run: local worker processes (default) or a Ray cluster",
    )
    r.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join (HEAD:6379, ray://HEAD:10001, auto); default: a Ray on this machine",
    )
    r.add_argument(
        "--workers-per-node",
        type=int,
        metavar="N",
        help="Ray: browser workers per node (default: the node's screenpilot_worker resource, else its CPUs)",
    )
    r.add_argument("--out", type=Path, required=True, help="run directory")
    r.add_argument("--resume", action="store_true", help="continue the run in --out")
    r.add_argument("--max-steps", type=int, default=15, help="step budget per episode (default: 15)")
    r.add_argument("--time-limit", type=float, default=120.0, help="seconds per episode (default: 120)")
    r.add_argument(
        "--retries", type=int, default=2, help="retries after infrastructure failures (default: 2)"
    )
    r.add_argument("--model-timeout", type=float, default=120.0, help="seconds per model call")
    r.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_miniwob(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "miniwob", help="run MiniWoB++ tasks", description="Run MiniWoB++ tasks from the miniwob package."
    )
    _add_episode_arguments(p, default_env="browser")
    p.add_argument(
        "--no-time-limit",
        action="store_true",
        help="lift each task's own time limit (7-30 s) for slow models; the report says which was used",
    )
    p.set_defaults(handler=handle_miniwob)


def _add_browsergym(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "browsergym",
        help="run a BrowserGym suite through the BrowserGym environment",
        description="Run BrowserGym tasks (MiniWoB++ here; WebArena, VisualWebArena, WorkArena "
        "with their servers) with any policy, scored by BrowserGym's reward.",
    )
    p.add_argument(
        "--suite",
        choices=["miniwob", "webarena", "visualwebarena", "workarena"],
        default="miniwob",
        help="BrowserGym suite (default: miniwob)",
    )
    p.add_argument("-B", "--bench-opt", action="append", metavar="KEY=VALUE", help="benchmark option")
    _add_episode_arguments(p, default_env="browsergym")
    p.set_defaults(handler=handle_browsergym)


def _add_run(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser("run", help="run any registered benchmark")
    p.add_argument("benchmark", help="benchmark name (miniwob, fake, or a plugin)")
    p.add_argument("-B", "--bench-opt", action="append", metavar="KEY=VALUE", help="benchmark option")
    _add_episode_arguments(p, default_env=None)
    p.set_defaults(handler=handle_run)


def _add_list(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser("list", help="list a benchmark's tasks")
    p.add_argument("--benchmark", default="miniwob", help="benchmark (default: miniwob)")
    p.add_argument("--tasks", nargs="+", default=[], metavar="GLOB")
    p.add_argument("--exclude", nargs="+", default=[], metavar="GLOB")
    p.set_defaults(handler=handle_list)


def _add_grounding(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "grounding", help="grounding accuracy on ScreenSpot-layout data", description="Point-in-box accuracy."
    )
    p.add_argument(
        "--data", type=Path, required=True, help="data set directory (ScreenSpot, v2 or Pro layout)"
    )
    p.add_argument("--grounder", required=True, help="grounder name, or module:function factory")
    p.add_argument("-G", "--grounder-opt", action="append", metavar="KEY=VALUE", help="grounder option")
    p.add_argument("--layout", choices=["screenspot", "v2", "pro"], help="force the layout")
    p.add_argument("--images", type=Path, help="image directory, when not where the layout puts it")
    p.add_argument("--limit", type=int, help="evaluate only the first N samples")
    p.add_argument("--out", type=Path, help="write the report as JSON here")
    p.set_defaults(handler=handle_grounding)


def _add_generate(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "generate-grounding", help="render pages and write grounding samples (ScreenSpot-v2 layout)"
    )
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seeds", type=int, default=2, help="variants of each local page (default: 2)")
    p.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0], help="device pixel ratios")
    p.add_argument("--miniwob-tasks", nargs="*", default=None, help="MiniWoB++ tasks to render")
    p.add_argument("--miniwob-seeds", type=int, default=2)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.set_defaults(handler=handle_generate)


# -- handlers (heavy imports stay inside) -----------------------------------------------------


def _run(args: argparse.Namespace, benchmark: str, bench_opts: dict[str, Any]) -> int:
    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.progress import Progress
    from screenpilot.benchmarks.executor import Executor
    from screenpilot.benchmarks.registry import create_benchmark
    from screenpilot.benchmarks.report import to_table, write_reports
    from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes, select_tasks
    from screenpilot.benchmarks.spec import ComponentSpec, RunSpec

    env_opts = parse_kv(args.env_opt, "environment")
    if args.headed:
        env_opts["headless"] = False
    bench = create_benchmark(benchmark, bench_opts)
    if args.env is None:
        args.env = str(getattr(bench, "default_environment", "browser"))
    spec = RunSpec(
        benchmark=ComponentSpec(name=benchmark, options=bench_opts),
        environment=ComponentSpec(name=args.env, options=env_opts),
        policy=ComponentSpec(name=args.policy, options=policy_options(args)),
        agent=AgentConfig(max_steps=args.max_steps, model_timeout_s=args.model_timeout),
        episode_time_limit_s=args.time_limit,
        max_infra_retries=args.retries,
    )
    tasks = select_tasks(bench.tasks(), args.tasks, args.exclude)
    bench.close()
    episodes = plan_episodes(tasks, args.episodes, args.seed)
    executor: Executor = _executor(args)
    progress = Progress(len(episodes), desc="episodes", enabled=not args.quiet)
    report = BenchmarkRunner(spec, args.out, executor, resume=args.resume, progress=progress).run(episodes)
    if report.partial:
        print(
            f"resumed: {len(report.partial)} interrupted attempts moved to {args.out / 'partial'}",
            file=sys.stderr,
        )
    json_path, md_path = write_reports(report.summary, args.out)
    print(to_table(report.summary))
    print(f"\nran {report.ran}, skipped {report.skipped} already finished; wrote {md_path} and {json_path}")
    return 0


def _executor(args: argparse.Namespace) -> Any:
    from screenpilot.benchmarks.executor import InlineExecutor
    from screenpilot.benchmarks.executor_local import LocalProcessExecutor

    if args.executor != "ray" and (args.ray_address or args.workers_per_node):
        from screenpilot.tools.errors import ConfigError

        raise ConfigError("--ray-address and --workers-per-node need --executor ray")
    if args.executor == "ray":
        from screenpilot.benchmarks.executor_ray import RayExecutor, RayExecutorConfig

        # Set at the edge, before Ray is imported: Ray reports usage statistics to the
        # internet unless told not to, and a Ray of our own (no --ray-address) should listen
        # on the loopback address only (Ray otherwise picks the address of the default route).
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        if not args.ray_address:
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        return RayExecutor(
            RayExecutorConfig(
                address=args.ray_address,
                workers_per_node=args.workers_per_node,
                max_workers=args.workers or None,
            )
        )
    workers = 1 if args.workers is None else args.workers
    return InlineExecutor() if workers == 0 else LocalProcessExecutor(workers)


def handle_miniwob(args: argparse.Namespace) -> int:
    return _run(args, "miniwob", {"no_time_limit": args.no_time_limit})


def handle_browsergym(args: argparse.Namespace) -> int:
    return _run(args, "browsergym", {"suite": args.suite, **parse_kv(args.bench_opt, "benchmark")})


def handle_run(args: argparse.Namespace) -> int:
    return _run(args, args.benchmark, parse_kv(args.bench_opt, "benchmark"))


def handle_list(args: argparse.Namespace) -> int:
    from screenpilot.benchmarks.registry import create_benchmark
    from screenpilot.benchmarks.runner import select_tasks

    bench = create_benchmark(args.benchmark, {})
    tasks = select_tasks(bench.tasks(), args.tasks, args.exclude)
    bench.close()
    for t in tasks:
        limit = t.options.get("max_time_ms")
        print(f"{t.task_id:<40} {f'{int(limit) / 1000:g}s' if limit else ''}")
    print(f"{len(tasks)} tasks", file=sys.stderr)
    return 0


def _grounder(name: str, options: dict[str, Any]) -> Any:
    from screenpilot.agent.entries import EntrySpec, load_spec
    from screenpilot.agent.registry import create

    if ":" not in name:
        return create("grounders", name, options)
    return load_spec(name, EntrySpec(name))(options)


def handle_grounding(args: argparse.Namespace) -> int:
    from screenpilot.agent.progress import Progress
    from screenpilot.agent.trajectory.recorder import atomic_write_json
    from screenpilot.benchmarks.grounding.dataset import load_samples
    from screenpilot.benchmarks.grounding.evaluate import evaluate_grounder, report_table

    samples = load_samples(args.data, args.layout, args.images)[: args.limit]
    grounder = _grounder(args.grounder, parse_kv(args.grounder_opt, "grounder"))
    progress = Progress(len(samples), desc="samples")
    report = evaluate_grounder(
        grounder, samples, name=args.grounder, on_result=lambda r: progress.update(ok=r.hit)
    )
    progress.close()
    print(report_table(report))
    if args.out:
        atomic_write_json(args.out, report.model_dump(mode="json"))
    return 0


def handle_generate(args: argparse.Namespace) -> int:
    from screenpilot.benchmarks.grounding.generate import GeneratorConfig, generate

    extra = {} if args.miniwob_tasks is None else {"miniwob_tasks": tuple(args.miniwob_tasks)}
    config = GeneratorConfig(
        out=args.out,
        seeds=args.seeds,
        scales=tuple(args.scales),
        miniwob_seeds=args.miniwob_seeds,
        chromium=args.chromium,
        **extra,
    )
    path = generate(config)
    print(f"wrote {path}")
    return 0
