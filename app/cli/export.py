"""``screenpilot export finetune|grounding``: training data from recorded runs."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from screenpilot.app.cli.parsing import positive_int

FINETUNE_EXAMPLES = """\
examples:
  screenpilot export finetune runs/miniwob --out data/miniwob        # a benchmark directory
  screenpilot export finetune runs/ --out data/mine --format chat    # every run under runs/
  screenpilot export finetune runs/sweep --out data/sweep --max-per-task 50 -P budget=medium
"""
GROUNDING_EXAMPLES = """\
examples:
  screenpilot export grounding runs/miniwob --out data/grounding
  screenpilot bench grounding --data data/grounding --grounder offline   # score a grounder on it
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="turn recorded runs into training data",
        description="Turn recorded runs (agent runs, workflows, benchmark directories) into "
        "training data for Qwen3-VL: fine-tuning samples with the prompts the policy sends, or "
        "grounding samples. See docs/finetune.md.",
        epilog="examples:\n  screenpilot export finetune runs/miniwob --out data/miniwob\n"
        "  screenpilot export grounding runs/miniwob --out data/grounding\n",
    )
    esub = p.add_subparsers(dest="export_command", metavar="SUBCOMMAND")
    _add_finetune(esub)
    _add_grounding(esub)

    def usage(_args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=usage)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", type=Path, nargs="+", metavar="RUN_DIR", help="run or benchmark directories")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    p.add_argument(
        "-P",
        "--policy-opt",
        action="append",
        metavar="KEY=VALUE",
        help="qwen3vl policy option that shapes the prompt: prompt, coords, budget, history_images, "
        "tool, checkpoint, secrets... (repeatable; as for 'run --policy qwen3vl')",
    )
    p.add_argument("--json", action="store_true", help="print the export's report as JSON")


def _add_finetune(esub: Any) -> None:
    p: argparse.ArgumentParser = esub.add_parser(
        "finetune",
        help="fine-tuning samples: one per verified step of each successful run",
        description="Write one sample per step of every successful run (the benchmark's reward "
        "decides where there is one) whose actions were carried out and had a verified effect: "
        "the conversation the Qwen3-VL policy renders for that step, and the step's action as its "
        "tool call. Identical (screen, answer) pairs are kept once; tasks go wholly to train or "
        "validation.",
        epilog=FINETUNE_EXAMPLES,
    )
    _add_common(p)
    p.add_argument(
        "--format",
        choices=("qwen-vl", "chat"),
        default="qwen-vl",
        help="qwen-vl: the qwen-vl-finetune recipe's JSON; chat: OpenAI-style messages JSONL "
        "(default: qwen-vl)",
    )
    p.add_argument("--max-per-task", type=positive_int, metavar="N", help="at most N samples per task")
    p.add_argument(
        "--val-fraction",
        type=float,
        default=0.1,
        metavar="F",
        help="share of tasks held out for validation (default: 0.1)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the train/validation split (default: 0)")
    p.add_argument(
        "--allow-unmeasured",
        action="store_true",
        help="keep steps of environments that record no effects (the fake environment)",
    )
    p.set_defaults(handler=handle_finetune)


def _add_grounding(esub: Any) -> None:
    p: argparse.ArgumentParser = esub.add_parser(
        "grounding",
        help="grounding samples from the elements runs clicked",
        description="Write every labelled element a recorded action pointed at as a grounding "
        "sample: in the ScreenSpot-v2 layout ('bench grounding' reads it) and as Qwen "
        "point_2d / bbox_2d answers in the qwen-vl-finetune recipe's JSON (qwen_grounding.json).",
        epilog=GROUNDING_EXAMPLES,
    )
    _add_common(p)
    p.add_argument(
        "--mode",
        action="append",
        choices=("point", "bbox"),
        help="Qwen answer forms to write (repeatable; default: point and bbox)",
    )
    p.add_argument(
        "--min-size",
        type=float,
        default=4.0,
        metavar="PX",
        help="smallest box side kept, logical pixels (default: 4.0)",
    )
    p.set_defaults(handler=handle_grounding)


def handle_finetune(args: argparse.Namespace) -> int:
    from screenpilot.app.cli.common import parse_kv
    from screenpilot.benchmarks.finetune.export import FinetuneExportConfig, export_finetune
    from screenpilot.tools.errors import ConfigError

    if not 0 <= args.val_fraction < 1:
        raise ConfigError(f"--val-fraction must be at least 0 and below 1, not {args.val_fraction}")
    config = FinetuneExportConfig(
        out=args.out,
        format=args.format,
        prompt=parse_kv(args.policy_opt, "policy"),
        max_per_task=args.max_per_task,
        val_fraction=args.val_fraction,
        seed=args.seed,
        allow_unmeasured=args.allow_unmeasured,
    )
    report = export_finetune(args.paths, config)
    if args.json:
        print(json.dumps(report.model_dump(mode="json")))
        return 0
    dropped = ", ".join(f"{n} {why}" for why, n in report.dropped.items()) or "none"
    skipped = ", ".join(f"{n} {why}" for why, n in report.runs_skipped.items()) or "none"
    train, val = report.samples["train"], report.samples["val"]
    print(
        f"{report.total} samples (train {train} from {_count(report.tasks['train'], 'task')}, val {val} "
        f"from {_count(report.tasks['val'], 'task')}) from {report.runs_used} of {report.runs} runs in "
        f"{report.seconds:.1f} s: {_count(report.images, 'image')}, {report.bytes / 1e6:.2f} MB "
        f"in {args.out}\n"
        f"steps left out: {dropped}; runs left out: {skipped}"
    )
    return 0


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def handle_grounding(args: argparse.Namespace) -> int:
    from screenpilot.app.cli.common import parse_kv
    from screenpilot.benchmarks.finetune.grounding import GroundingExportConfig, export_grounding

    config = GroundingExportConfig(
        out=args.out,
        prompt=parse_kv(args.policy_opt, "policy"),
        modes=tuple(dict.fromkeys(args.mode or ("point", "bbox"))),
        min_size=args.min_size,
    )
    report = export_grounding(args.paths, config)
    if args.json:
        print(json.dumps(report.model_dump(mode="json")))
        return 0
    print(
        f"{report.targets} targets on {report.images} screens from {report.runs} runs "
        f"({report.ambiguous} ambiguous left out): {report.samples} Qwen samples in {args.out} "
        f"in {report.seconds:.1f} s"
    )
    return 0
