"""``export grounding``: instruction -> point / box samples from the targets runs recorded.

Every step records, per pointer action, the element under its point with that element's
box and label (from the page's DOM, the accessibility tree or the UI dump). Each such
target with a label becomes a grounding sample on the step's screenshot, written twice:

* in the ScreenSpot-v2 layout :mod:`screenpilot.benchmarks.grounding.dataset` reads
  (``screenspot_<platform>_v2.json`` with ``bbox`` as ``[x, y, width, height]`` in pixels of
  the original screenshot, images in ``screenspotv2_image/``, plus ``scale_factor``), so
  ``screenpilot bench grounding`` scores a grounder on them;
* as the fine-tuning recipe's JSON (``qwen_grounding.json``, images resized with the
  policy's pixel budget under ``images/``), one sample per target and mode: ``bbox`` asks
  with the Qwen grounder's own box prompt and answers ``[{"bbox_2d": [x1, y1, x2, y2],
  "label": ...}]``; ``point`` answers ``[{"point_2d": [x, y], "label": ...}]``, both in the
  checkpoint's coordinate convention.

A label that names more than one box on the same screen is ambiguous and left out, as are
boxes smaller than ``min_size`` logical pixels on a side. Page elements other than the
targets are not in the record, so they are not exported (``bench generate-grounding``
renders pages for those).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any, Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.result import StepEvent
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.benchmarks.finetune.export import DEFAULT_CHECKPOINT
from screenpilot.benchmarks.finetune.images import ImageStore
from screenpilot.benchmarks.finetune.render import export_policy
from screenpilot.benchmarks.finetune.replay import capabilities_of
from screenpilot.benchmarks.finetune.sources import find_runs
from screenpilot.environments.geometry import ScreenGeometry, Size, box_to_space
from screenpilot.model.coords import CoordinateMapper
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.model.qwen.tool_calls import encode_point
from screenpilot.tools.options import validate_options
from screenpilot.tools.points import Box, CoordSpace, Point

Mode = Literal["point", "bbox"]
SCREENSPOT_IMAGES = "screenspotv2_image"
QWEN_FILE = "qwen_grounding.json"
POINT_PROMPT = (
    "Locate the element described below in the screenshot and output its center point as JSON: "
    '[{"point_2d": [x, y], "label": "<label>"}]. Coordinates are in the range 0..$width for x '
    "and 0..$height for y.\nDescription: $description"
)
"""The ``point`` question (the grounder's own ``bbox`` question is used for boxes)."""


class GroundingExportConfig(BaseModel):
    """What ``export grounding`` writes.

    Attributes:
        out: Output directory.
        prompt: ``qwen3vl`` policy options (coordinates, pixel budget).
        checkpoint: Checkpoint whose conventions apply.
        modes: Which Qwen answer forms to write.
        min_size: Smallest box side kept, in logical pixels.
    """

    model_config = ConfigDict(frozen=True)

    out: Path
    prompt: dict[str, Any] = Field(default_factory=dict)
    checkpoint: str = DEFAULT_CHECKPOINT
    modes: tuple[Mode, ...] = ("point", "bbox")
    min_size: float = Field(default=4.0, ge=0.0)


class Target(BaseModel):
    """One labelled element on one recorded screen."""

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    step: int
    screenshot: str
    geometry: ScreenGeometry
    platform: str
    label: str
    role: str
    box: Box
    task_key: str


class GroundingReport(BaseModel):
    """What ``export grounding`` wrote."""

    model_config = ConfigDict(frozen=True)

    runs: int
    targets: int
    ambiguous: int
    samples: int
    images: int
    seconds: float


def export_grounding(paths: Sequence[Path], config: GroundingExportConfig) -> GroundingReport:
    """Write the recorded targets under ``paths`` as grounding samples.

    Raises:
        ConfigError: For paths without runs or bad prompt options.
    """
    t0 = time.monotonic()
    options = validate_options(QwenPromptOptions, config.prompt, what="the export's prompt options")
    sources = find_runs(paths)
    targets: list[Target] = []
    for source in sources:
        targets.extend(run_targets(source.run_dir, source.task_key, config.min_size))
    kept, ambiguous = unambiguous(targets)
    config.out.mkdir(parents=True, exist_ok=True)
    ids = _write_screenspot(config.out, kept)
    policy = export_policy(options, config.checkpoint)
    records = _write_qwen(config.out, list(zip(ids, kept, strict=True)), policy, config.modes)
    return GroundingReport(
        runs=len(sources),
        targets=len(kept),
        ambiguous=ambiguous,
        samples=len(records),
        images=len({t.screenshot for t in kept}),
        seconds=round(time.monotonic() - t0, 3),
    )


def run_targets(run_dir: Path, task_key: str, min_size: float) -> list[Target]:
    """The labelled targets of one run, each (screen, label, box) once."""
    run = load_run(run_dir)
    caps = capabilities_of(run.manifest)
    out: dict[tuple[str, str, tuple[float, ...]], Target] = {}
    for raw in run.steps:
        step = StepEvent.model_validate({k: v for k, v in raw.items() if k not in ("type", "t", "workflow")})
        if step.screenshot is None or step.geometry is None:
            continue
        for pointed in step.targets:
            if pointed is None or not pointed.label.strip():
                continue
            box = _on_screen(pointed.box, step.geometry)
            if box is None or min(box.width, box.height) < min_size:
                continue
            label = " ".join(pointed.label.split())
            key = (step.screenshot, label, (box.x0, box.y0, box.x1, box.y1))
            out.setdefault(
                key,
                Target(
                    run_dir=run_dir,
                    step=step.index,
                    screenshot=step.screenshot,
                    geometry=step.geometry,
                    platform=_platform(caps.input, caps.actions),
                    label=label,
                    role=pointed.role,
                    box=box,
                    task_key=task_key,
                ),
            )
    return list(out.values())


def unambiguous(targets: Sequence[Target]) -> tuple[list[Target], int]:
    """Targets whose label names one box on its screen; returns them and how many were not."""
    boxes: dict[tuple[str, str], set[tuple[float, ...]]] = defaultdict(set)
    for t in targets:
        boxes[(t.screenshot, t.label)].add((t.box.x0, t.box.y0, t.box.x1, t.box.y1))
    kept: dict[tuple[str, str], Target] = {}
    for t in targets:
        if len(boxes[(t.screenshot, t.label)]) == 1:
            kept.setdefault((t.screenshot, t.label), t)  # the same screen seen by several runs
    ambiguous = sum(1 for t in targets if len(boxes[(t.screenshot, t.label)]) > 1)
    return list(kept.values()), ambiguous


def _on_screen(box: Box, g: ScreenGeometry) -> Box | None:
    """``box`` (screen space) cut to the captured area, or ``None`` when it lies outside."""
    x0, y0 = max(box.x0, g.offset_x), max(box.y0, g.offset_y)
    x1 = min(box.x1, g.offset_x + g.logical_size.width)
    y1 = min(box.y1, g.offset_y + g.logical_size.height)
    if x1 <= x0 or y1 <= y0:
        return None
    return Box(x0=x0, y0=y0, x1=x1, y1=y1, space=CoordSpace.SCREEN)


def _platform(input_kind: str, actions: frozenset[str]) -> str:
    if input_kind == "touch":
        return "mobile"
    return "web" if "navigate" in actions else "desktop"


def _write_screenspot(out: Path, targets: Sequence[Target]) -> list[str]:
    """Write the ScreenSpot-v2 files; returns each target's sample id as the reader names it."""
    images = out / SCREENSPOT_IMAGES
    ids: list[str] = []
    images.mkdir(parents=True, exist_ok=True)
    by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in targets:
        name = f"{t.screenshot}.png"
        if not (images / name).exists():
            shutil.copyfile(t.run_dir / "shots" / name, images / name)
        pixels = box_to_space(t.box, CoordSpace.IMAGE, t.geometry)
        ids.append(f"screenspot_{t.platform}_v2:{len(by_platform[t.platform])}")
        by_platform[t.platform].append(
            {
                "img_filename": name,
                "bbox": [pixels.x0, pixels.y0, pixels.width, pixels.height],
                "instruction": t.label,
                "data_type": "text",
                "data_source": t.task_key,
                "scale_factor": t.geometry.image_per_logical_x,
            }
        )
    for platform, items in by_platform.items():
        path = out / f"screenspot_{platform}_v2.json"
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ids


def _write_qwen(
    out: Path, targets: Sequence[tuple[str, Target]], policy: QwenPolicy, modes: Sequence[Mode]
) -> list[Any]:
    """Write the recipe's JSON; each entry's ``id`` is its ScreenSpot sample's plus the mode."""
    store = ImageStore(out)
    style = policy.style
    records: list[dict[str, Any]] = []
    stored: dict[str, tuple[str, Size]] = {}
    for sample_id, t in targets:
        if t.screenshot not in stored:
            with Image.open(t.run_dir / "shots" / f"{t.screenshot}.png") as shot:
                image = style.model_image(shot.convert("RGB"))
            stored[t.screenshot] = (store.put(image), Size(width=image.width, height=image.height))
        rel, size = stored[t.screenshot]
        mapper = CoordinateMapper(style.settings.coords_for("computer_use"), t.geometry, size)
        for mode in modes:
            answer = _answer(t, mapper, mode)
            if answer is None:
                continue
            question = _question(style.grounding["bbox"] if mode == "bbox" else POINT_PROMPT, t, mapper)
            records.append(
                {
                    "id": f"{sample_id}:{mode}",
                    "image": rel,
                    "conversations": [
                        {"from": "human", "value": "<image>" + question},
                        {"from": "gpt", "value": answer},
                    ],
                }
            )
    (out / QWEN_FILE).write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return records


def _question(template: str, t: Target, mapper: CoordinateMapper) -> str:
    display = mapper.display
    return Template(template).substitute(description=t.label, width=display.width, height=display.height)


def _answer(t: Target, mapper: CoordinateMapper, mode: Mode) -> str | None:
    if mode == "point":
        at = encode_point(t.box.center, mapper)
        return json.dumps([{"point_2d": at, "label": t.label}], ensure_ascii=False) if at else None
    a = encode_point(Point(x=t.box.x0, y=t.box.y0), mapper)
    b = encode_point(Point(x=t.box.x1, y=t.box.y1), mapper)
    if a is None or b is None:
        return None
    return json.dumps([{"bbox_2d": [*a, *b], "label": t.label}], ensure_ascii=False)
