"""``screenpilot bench``: benchmark runs (MiniWoB++ and others) and grounding evaluation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import add_policy_arguments, parse_kv, policy_options
from screenpilot.app.cli.video_flags import add_video_arguments


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="run benchmarks and grounding evaluations",
        description="Benchmarks: MiniWoB++ episodes over worker processes (resumable), "
        "ScreenSpot-style grounding accuracy, and a generator of grounding samples.",
    )
    bsub = p.add_subparsers(dest="bench_command", metavar="BENCH_COMMAND")
    _add_miniwob(bsub)
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
    r.add_argument("--workers", type=int, default=1, help="worker processes; 0 runs in this process")
    r.add_argument("--out", type=Path, required=True, help="run directory")
    r.add_argument("--resume", action="store_true", help="continue the run in --out")
    r.add_argument("--max-steps", type=int, default=15, help="step budget per episode (default: 15)")
    r.add_argument("--time-limit", type=float, default=120.0, help="seconds per episode (default: 120)")
    r.add_argument(
        "--retries", type=int, default=2, help="retries after infrastructure failures (default: 2)"
    )
    r.add_argument("--model-timeout", type=float, default=120.0, help="seconds per model call")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    add_video_arguments(p, capture=False)


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
    from screenpilot.benchmarks.executor import Executor, InlineExecutor
    from screenpilot.benchmarks.executor_local import LocalProcessExecutor
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
    executor: Executor = InlineExecutor() if args.workers == 0 else LocalProcessExecutor(args.workers)
    progress = Progress(len(episodes), desc="episodes", enabled=not args.quiet)
    report = BenchmarkRunner(spec, args.out, executor, resume=args.resume, progress=progress).run(episodes)
    if report.partial:
        print(
            f"resumed: {len(report.partial)} interrupted attempts moved to {args.out / 'partial'}",
            file=sys.stderr,
        )
    json_path, md_path = write_reports(report.summary, args.out)
    _record_videos(args)
    print(to_table(report.summary))
    print(f"\nran {report.ran}, skipped {report.skipped} already finished; wrote {md_path} and {json_path}")
    return 0


def _record_videos(args: argparse.Namespace) -> None:
    """A video for every episode that has none yet (``--record-video``; resumed runs skip
    the ones already made)."""
    if not args.record_video:
        return
    from screenpilot.app.cli.video_flags import record_video
    from screenpilot.app.report.discover import find_episodes
    from screenpilot.app.video.render import VIDEO_FILE

    for episode in find_episodes(args.out):
        if not (episode.run_dir / VIDEO_FILE).is_file():
            record_video(args, episode.run_dir)


def handle_miniwob(args: argparse.Namespace) -> int:
    return _run(args, "miniwob", {"no_time_limit": args.no_time_limit})


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
