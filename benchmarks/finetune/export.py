"""``export finetune``: runs in, a training set for Qwen3-VL out.

Layout of the output directory::

    train.json / val.json      the recipe's JSON (``--format qwen-vl``), or
    train.jsonl / val.jsonl    chat JSONL (``--format chat``)
    images/<sha256>.png        every image once, at the size the model sees
    meta.jsonl                 per sample: source run and step, geometry, convention, actions
    export.json                the settings and the counts of this export

Only successful runs are read (the benchmark's reward where there is one). Their steps are
filtered (:mod:`.steps`), identical ``(screen, answer)`` pairs are kept once, each task
contributes at most ``max_per_task`` samples (taken in turn from its runs, so that every
episode is represented), and whole tasks are split into train and validation by a seeded
hash, so no task is in both.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.finetune.formats import Format, file_name, write_split
from screenpilot.benchmarks.finetune.images import IMAGES, ImageStore
from screenpilot.benchmarks.finetune.render import RunSamples
from screenpilot.benchmarks.finetune.sample import Sample, Split
from screenpilot.benchmarks.finetune.sources import SourceRun, find_runs
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options

DEFAULT_CHECKPOINT = "Qwen/Qwen3-VL-8B-Instruct"


class FinetuneExportConfig(BaseModel):
    """What an export writes.

    Attributes:
        out: Output directory (created; images no sample uses are removed from it).
        format: ``qwen-vl`` (the recipe's JSON) or ``chat`` (OpenAI-style JSONL).
        prompt: Options of the ``qwen3vl`` policy that shape the prompt (``prompt``,
            ``coords``, ``budget``, ``history_images``, ``tool``, ``secrets``...).
        checkpoint: Checkpoint whose conventions apply (factor, coordinates, budget).
        max_per_task: Most samples per task (``None``: no cap).
        val_fraction: Share of tasks held out for validation.
        seed: Seed of the split.
        allow_unmeasured: Keep steps of environments that record no effects.
    """

    model_config = ConfigDict(frozen=True)

    out: Path
    format: Format = "qwen-vl"
    prompt: dict[str, Any] = Field(default_factory=dict)
    checkpoint: str = DEFAULT_CHECKPOINT
    max_per_task: int | None = Field(default=None, ge=1)
    val_fraction: float = Field(default=0.1, ge=0.0, lt=1.0)
    seed: int = 0
    allow_unmeasured: bool = False


class ExportReport(BaseModel):
    """What an export did.

    Attributes:
        runs: Runs found.
        runs_used: Successful runs read.
        runs_skipped: Runs not read, by reason (``unsuccessful``, or why one was refused).
        samples: Samples written per split.
        tasks: Tasks per split.
        dropped: Steps not exported, by reason (``capped`` for the per-task cap).
        images: Images written.
        bytes: Size of everything written.
        seconds: Wall time of the export.
        files: The files written, relative to the output directory.
    """

    model_config = ConfigDict(frozen=True)

    runs: int
    runs_used: int
    runs_skipped: dict[str, int]
    samples: dict[str, int]
    tasks: dict[str, int]
    dropped: dict[str, int]
    images: int
    bytes: int
    seconds: float
    files: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.samples.values())


def export_finetune(paths: Sequence[Path], config: FinetuneExportConfig) -> ExportReport:
    """Export the runs under ``paths`` (run or benchmark directories) as a training set.

    Raises:
        ConfigError: For bad prompt options, paths without runs, or when every
            successful run had to be refused.
    """
    t0 = time.monotonic()
    options = validate_options(QwenPromptOptions, config.prompt, what="the export's prompt options")
    sources = find_runs(paths)
    store = ImageStore(config.out)
    seen: set[tuple[str, str]] = set()
    by_run: list[list[Sample]] = []
    skipped: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    refusals: list[str] = []
    for source in sources:
        if not source.success:
            skipped["unsuccessful"] += 1
            continue
        try:
            builder = RunSamples(
                source, options, config.checkpoint, store, seen, allow_unmeasured=config.allow_unmeasured
            )
        except ConfigError as e:
            skipped["refused"] += 1
            refusals.append(str(e))
            continue
        by_run.append(builder.build())
        dropped.update(builder.dropped)
    if refusals and not by_run:
        raise ConfigError("every successful run was refused: " + "; ".join(refusals[:3]))
    kept, capped = cap_per_task(by_run, config.max_per_task)
    if capped:
        dropped["capped"] += capped
    samples = assign_splits(kept, config.val_fraction, config.seed)
    return _write(config, samples, store, sources=sources, skipped=skipped, dropped=dropped, t0=t0)


def cap_per_task(by_run: Sequence[Sequence[Sample]], cap: int | None) -> tuple[list[Sample], int]:
    """At most ``cap`` samples per task, taken from its runs in turn; returns the kept
    samples (in run order) and how many were left out."""
    total = sum(len(r) for r in by_run)
    if cap is None:
        return [s for r in by_run for s in r], 0
    runs_of: dict[str, list[Sequence[Sample]]] = defaultdict(list)
    for run in by_run:
        if run:
            runs_of[run[0].task_key].append(run)
    chosen: set[str] = set()
    for runs in runs_of.values():
        depth, picked = 0, 0
        while picked < cap and any(depth < len(r) for r in runs):
            for run in runs:
                if depth < len(run) and picked < cap:
                    chosen.add(run[depth].id)
                    picked += 1
            depth += 1
    kept = [s for r in by_run for s in r if s.id in chosen]
    return kept, total - len(kept)


def split_tasks(tasks: Sequence[str], val_fraction: float, seed: int) -> set[str]:
    """The validation tasks: a seeded-hash order's first ``val_fraction`` share (at least
    one, and never all, when there are two tasks or more and the fraction is not 0)."""
    unique = sorted(set(tasks))
    if val_fraction <= 0 or len(unique) < 2:
        return set()
    order = sorted(unique, key=lambda t: hashlib.sha256(f"{seed}:{t}".encode()).hexdigest())
    n = min(len(unique) - 1, max(1, round(val_fraction * len(unique))))
    return set(order[:n])


def assign_splits(samples: Sequence[Sample], val_fraction: float, seed: int) -> list[Sample]:
    """``samples`` with their split set by task."""
    val = split_tasks([s.task_key for s in samples], val_fraction, seed)
    split: dict[bool, Split] = {True: "val", False: "train"}
    return [s.model_copy(update={"split": split[s.task_key in val]}) for s in samples]


def _write(
    config: FinetuneExportConfig,
    samples: Sequence[Sample],
    store: ImageStore,
    *,
    sources: Sequence[SourceRun],
    skipped: Counter[str],
    dropped: Counter[str],
    t0: float,
) -> ExportReport:
    out = config.out
    files: list[str] = []
    for split in ("train", "val"):
        name = file_name(split, config.format)
        write_split(out / name, [s for s in samples if s.split == split], config.format)
        files.append(name)
    with (out / "meta.jsonl").open("w", encoding="utf-8") as f:
        for s in samples:
            f.write(json.dumps(s.meta_record(), ensure_ascii=False) + "\n")
    files.append("meta.jsonl")
    images = {path for s in samples for path in s.images}
    store.prune(images)
    size = sum((out / f).stat().st_size for f in files) + sum((out / p).stat().st_size for p in images)
    report = ExportReport(
        runs=len(sources),
        runs_used=len(sources) - sum(skipped.values()),
        runs_skipped=dict(skipped),
        samples={k: sum(1 for s in samples if s.split == k) for k in ("train", "val")},
        tasks={k: len({s.task_key for s in samples if s.split == k}) for k in ("train", "val")},
        dropped=dict(dropped.most_common()),
        images=len(images),
        bytes=size,
        seconds=round(time.monotonic() - t0, 3),
        files=(*files, f"{IMAGES}/", "export.json"),
    )
    settings = config.model_dump(mode="json", exclude={"out"})
    (out / "export.json").write_text(
        json.dumps({"settings": settings, "report": report.model_dump(mode="json")}, indent=2) + "\n",
        encoding="utf-8",
    )
    return report
