"""``screenpilot bench``: benchmark runs (MiniWoB++ and others) and grounding evaluation."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import add_policy_arguments, parse_kv, policy_options
from screenpilot.app.cli.parsing import non_negative_int, positive_float, positive_int
from screenpilot.app.cli.video_flags import add_video_arguments

BENCH_MAX_STEPS = 15
"""MiniWoB++ episodes are short (1-10 actions); a smaller budget than ``run``'s 30 keeps a
policy that is stuck from eating the episode's time limit."""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="run benchmarks and grounding evaluations",
        description="Benchmarks: MiniWoB++ episodes over worker processes (resumable), "
        "ScreenSpot-style grounding accuracy, and a generator of grounding samples.",
        epilog="examples:\n  screenpilot bench list --tasks 'click-*'\n"
        "  screenpilot bench miniwob --tasks click-button,enter-text --episodes 2 --out results/mw\n",
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
    _add_task_arguments(r)
    r.add_argument("--episodes", type=positive_int, default=5, help="seeded episodes per task")
    r.add_argument("--seed", type=int, default=0, help="seed of each task's first episode")
    r.add_argument(
        "--workers",
        type=non_negative_int,
        default=None,
        help="worker processes (default 1); 0 runs in this process; with --executor ray: "
        "the most Ray workers (default: every slot of the cluster)",
    )
    r.add_argument(
        "--recycle-after",
        type=non_negative_int,
        default=50,
        metavar="N",
        help="replace each worker process after N episodes, bounding its memory (0: never)",
    )
    r.add_argument(
        "--executor",
        choices=["local", "ray"],
        default="local",
        help="where episodes run: local worker processes or a Ray cluster",
    )
    r.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join (HEAD:6379, ray://HEAD:10001, auto); default: a Ray on this machine",
    )
    r.add_argument(
        "--workers-per-node",
        type=positive_int,
        metavar="N",
        help="Ray: browser workers per node (default: the node's screenpilot_worker resource, else its CPUs)",
    )
    r.add_argument("--out", type=Path, required=True, metavar="DIR", help="the benchmark's run directory")
    r.add_argument("--resume", action="store_true", help="continue the run in --out")
    r.add_argument("--max-steps", type=positive_int, default=BENCH_MAX_STEPS, help="step budget per episode")
    r.add_argument("--time-limit", type=positive_float, default=120.0, help="seconds per episode")
    r.add_argument(
        "--retries", type=non_negative_int, default=2, help="retries after infrastructure failures"
    )
    r.add_argument("--model-timeout", type=positive_float, default=45.0, help="seconds per model call")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    c = p.add_argument_group("CI")
    c.add_argument(
        "--fail-under",
        type=_rate,
        metavar="RATE",
        help="exit 1 when the overall success rate is below RATE (0.8 or 80%%)",
    )
    c.add_argument("--junit", type=Path, metavar="FILE", help="also write JUnit XML, one case per episode")
    add_video_arguments(p, capture=False)


def _add_task_arguments(g: Any) -> None:
    g.add_argument(
        "--tasks",
        nargs="+",
        default=[],
        metavar="GLOB",
        help="tasks to run: globs, space- or comma-separated (default: all)",
    )
    g.add_argument(
        "--exclude", nargs="+", default=[], metavar="GLOB", help="tasks to leave out (globs, as --tasks)"
    )


def _rate(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate is between 0 and 1 (or 0% and 100%), not {text}")
    return value


def _add_miniwob(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "miniwob",
        help="run MiniWoB++ tasks",
        description="Run MiniWoB++ tasks from the miniwob package in Chromium, seeded, over worker "
        "processes; resumable with --resume. Ctrl+C stops the run cleanly (exit 130).",
        epilog="examples:\n"
        "  screenpilot bench miniwob --tasks click-button,enter-text --episodes 2 --out results/mw\n"
        "  screenpilot bench miniwob --endpoint http://127.0.0.1:8000/v1 \\\n"
        "      --model Qwen/Qwen3-VL-8B-Instruct \\\n"
        "      --workers 4 --no-time-limit --out results/mw-8b --fail-under 0.5 --junit mw.xml\n",
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
        epilog="examples:\n  screenpilot bench browsergym --tasks click-button --episodes 2 "
        "--out results/bgym\n",
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
    p: argparse.ArgumentParser = bsub.add_parser(
        "run",
        help="run any registered benchmark",
        description="Run a registered benchmark (miniwob, fake, or a plug-in's) with the same "
        "options as 'bench miniwob'.",
        epilog="examples:\n  screenpilot bench run fake --episodes 2 --out results/fake\n"
        "  screenpilot bench run fake -B crash_setup_attempts=1 --out results/fake-faults\n",
    )
    p.add_argument("benchmark", help="benchmark name (miniwob, fake, or a plugin)")
    p.add_argument(
        "-B", "--bench-opt", action="append", metavar="KEY=VALUE", help="benchmark option (repeatable)"
    )
    _add_episode_arguments(p, default_env=None)
    p.set_defaults(handler=handle_run)


def _add_list(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "list",
        help="list a benchmark's tasks",
        description="List a benchmark's tasks (with MiniWoB++'s own time limits).",
        epilog="examples:\n  screenpilot bench list --tasks 'click-*' --exclude click-pie\n",
    )
    p.add_argument("--benchmark", default="miniwob", help="benchmark name")
    _add_task_arguments(p)
    p.set_defaults(handler=handle_list)


def _add_grounding(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "grounding",
        help="grounding accuracy on ScreenSpot-layout data",
        description="Point-in-box accuracy of a grounder on ScreenSpot, ScreenSpot-v2 or "
        "ScreenSpot-Pro data, overall and per platform and element type.",
        epilog="examples:\n  screenpilot bench grounding --data data/gen --grounder offline --limit 20\n",
    )
    p.add_argument(
        "--data", type=Path, required=True, help="data set directory (ScreenSpot, v2 or Pro layout)"
    )
    p.add_argument("--grounder", required=True, help="grounder name, or module:function factory")
    p.add_argument(
        "-G", "--grounder-opt", action="append", metavar="KEY=VALUE", help="grounder option (repeatable)"
    )
    p.add_argument(
        "--layout", choices=["screenspot", "v2", "pro"], help="force the layout (default: detected)"
    )
    p.add_argument("--images", type=Path, help="image directory, when not where the layout puts it")
    p.add_argument("--limit", type=positive_int, help="evaluate only the first N samples")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report as JSON to FILE")
    p.add_argument("--out", dest="output", type=Path, help=argparse.SUPPRESS)  # the old name
    p.set_defaults(handler=handle_grounding)


def _add_generate(bsub: Any) -> None:
    p: argparse.ArgumentParser = bsub.add_parser(
        "generate-grounding",
        help="render pages and write grounding samples (ScreenSpot-v2 layout)",
        description="Render local pages and seeded MiniWoB++ pages in Chromium and write grounding "
        "samples with boxes from the DOM, in the ScreenSpot-v2 layout.",
        epilog="examples:\n  screenpilot bench generate-grounding --out data/gen --seeds 1 --scales 1\n",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the data set's directory")
    p.add_argument("--seeds", type=positive_int, default=2, help="variants of each local page")
    p.add_argument("--scales", type=positive_float, nargs="+", default=[1.0, 2.0], help="device pixel ratios")
    p.add_argument(
        "--miniwob-tasks",
        nargs="*",
        default=None,
        metavar="TASK",
        help="MiniWoB++ tasks to render (default: five)",
    )
    p.add_argument("--miniwob-seeds", type=non_negative_int, default=2, help="seeds per MiniWoB++ task")
    p.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium executable")
    p.set_defaults(handler=handle_generate)


# -- handlers (heavy imports stay inside) -----------------------------------------------------


def _run(args: argparse.Namespace, benchmark: str, bench_opts: dict[str, Any]) -> int:
    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.progress import Progress
    from screenpilot.app.cli.bench_run import executor_for, finish_bench, select
    from screenpilot.app.cli.interrupt import raise_on_signals
    from screenpilot.app.cli.probe import probe_policy
    from screenpilot.benchmarks.registry import create_benchmark
    from screenpilot.benchmarks.runner import BenchmarkRunner, plan_episodes
    from screenpilot.benchmarks.spec import ComponentSpec, RunSpec
    from screenpilot.tools.options import validate_options

    env_opts = parse_kv(args.env_opt, "environment")
    if args.headed:
        env_opts["headless"] = False
    p_opts = policy_options(args)
    bench = create_benchmark(benchmark, bench_opts)
    if args.env is None:
        args.env = str(getattr(bench, "default_environment", "browser"))
    agent = validate_options(
        AgentConfig,
        {"max_steps": args.max_steps, "model_timeout_s": args.model_timeout},
        what="the episode budget (--max-steps, --model-timeout)",
    )
    spec = validate_options(
        RunSpec,
        {
            "benchmark": ComponentSpec(name=benchmark, options=bench_opts),
            "environment": ComponentSpec(name=args.env, options=env_opts),
            "policy": ComponentSpec(name=args.policy, options=p_opts),
            "agent": agent,
            "episode_time_limit_s": args.time_limit,
            "max_infra_retries": args.retries,
        },
        what="the run (--time-limit, --retries)",
    )
    tasks = select(bench.tasks(), args.tasks, args.exclude)
    bench.close()
    probe_policy(p_opts)
    episodes = plan_episodes(tasks, args.episodes, args.seed)
    progress = Progress(len(episodes), desc="episodes", enabled=not args.quiet)
    runner = BenchmarkRunner(
        spec, args.out, executor_for(_executor(args), p_opts), resume=args.resume, progress=progress
    )
    raise_on_signals()
    try:
        report = runner.run(episodes)
    except KeyboardInterrupt:
        print(
            f"aborted: the run in {args.out} stopped; episodes that finished are kept, "
            "continue with --resume",
            file=sys.stderr,
        )
        return 130
    _record_videos(args)
    return finish_bench(args, report, benchmark)


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
    return (
        InlineExecutor() if workers == 0 else LocalProcessExecutor(workers, recycle_after=args.recycle_after)
    )


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


def handle_browsergym(args: argparse.Namespace) -> int:
    return _run(args, "browsergym", {"suite": args.suite, **parse_kv(args.bench_opt, "benchmark")})


def handle_run(args: argparse.Namespace) -> int:
    return _run(args, args.benchmark, parse_kv(args.bench_opt, "benchmark"))


def handle_list(args: argparse.Namespace) -> int:
    from screenpilot.app.cli.bench_run import select
    from screenpilot.benchmarks.registry import create_benchmark

    bench = create_benchmark(args.benchmark, {})
    tasks = select(bench.tasks(), args.tasks, args.exclude)
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
    if args.output:
        atomic_write_json(args.output, report.model_dump(mode="json"))
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
