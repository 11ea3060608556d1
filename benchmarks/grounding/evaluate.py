"""Point-in-box accuracy of a grounder, by platform and element type."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image
from pydantic import BaseModel, ConfigDict

from screenpilot.benchmarks.grounding.dataset import GroundingSample
from screenpilot.benchmarks.stats import wilson_interval
from screenpilot.environments.capabilities import Capabilities, InputKind
from screenpilot.environments.geometry import ScreenGeometry, Size, convert
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Grounder
from screenpilot.tools.errors import CoordinateOutOfRange, ModelOutputError
from screenpilot.tools.points import Box, CoordSpace, Point

# How the screens behind data sets' platform labels are operated (pointer unless listed).
_INPUT_OF_LABEL: dict[str, InputKind] = {"mobile": "touch", "android": "touch", "ios": "touch"}


class SampleResult(BaseModel):
    """One sample's outcome.

    Attributes:
        sample_id: The sample.
        hit: Whether the answer lies inside the target box.
        point: The answer in image pixels (``None`` when there was no usable answer).
        error: Why there was no usable answer (unparseable output, out of range).
        latency_s: Time the grounder took.
    """

    model_config = ConfigDict(frozen=True)

    sample_id: str
    platform: str
    ui_type: str
    hit: bool
    point: tuple[float, float] | None = None
    error: str | None = None
    latency_s: float = 0.0


class Accuracy(BaseModel):
    model_config = ConfigDict(frozen=True)

    group: str
    samples: int
    hits: int
    accuracy: float
    ci_low: float
    ci_high: float


class GroundingReport(BaseModel):
    """Accuracy overall, per platform, per element type and per platform x type."""

    model_config = ConfigDict(frozen=True)

    grounder: str
    overall: Accuracy
    groups: tuple[Accuracy, ...]
    results: tuple[SampleResult, ...]
    errors: int
    mean_latency_s: float


def observation_of(sample: GroundingSample, image: Image.Image) -> Observation:
    """What the grounder sees: the screenshot, its geometry and nothing else."""
    w, h = image.size
    scale = sample.scale_factor
    geometry = ScreenGeometry(
        image_size=Size(width=w, height=h),
        logical_size=Size(width=max(1, round(w / scale)), height=max(1, round(h / scale))),
        scale_factor=scale,
    )
    input_kind = _INPUT_OF_LABEL.get(sample.platform.lower(), "pointer")
    caps = Capabilities.of_screenshot(sample.platform or "screenshot", input=input_kind)
    return Observation(screenshot=image, geometry=geometry, capabilities=caps)


def score(
    sample: GroundingSample, answer: Point | Box, geometry: ScreenGeometry
) -> tuple[bool, tuple[float, float]]:
    """Whether ``answer`` (a box counts by its centre) lies in the sample's box.

    Raises:
        CoordinateOutOfRange: When the answer lies outside its own space.
    """
    point = answer.center if isinstance(answer, Box) else answer
    p = convert(point, CoordSpace.IMAGE, geometry)
    x0, y0, x1, y1 = sample.box
    return (x0 <= p.x <= x1 and y0 <= p.y <= y1), (p.x, p.y)


def load_image(path: Path) -> Image.Image:
    with Image.open(path) as raw:
        return raw.convert("RGB")


def evaluate_sample(
    grounder: Grounder, sample: GroundingSample, image: Image.Image | None = None
) -> SampleResult:
    """Ask ``grounder`` about one sample (``image`` saves decoding a screenshot again)."""
    obs = observation_of(sample, image if image is not None else load_image(sample.image))
    base = {"sample_id": sample.sample_id, "platform": sample.platform, "ui_type": sample.ui_type}
    t0 = time.monotonic()
    try:
        answer = grounder.locate(obs, sample.instruction)
    except ModelOutputError as e:
        return SampleResult(
            **base, hit=False, error=f"ModelOutputError: {e}", latency_s=time.monotonic() - t0
        )
    latency = time.monotonic() - t0
    try:
        hit, point = score(sample, answer, obs.geometry)
    except CoordinateOutOfRange as e:
        return SampleResult(**base, hit=False, error=f"CoordinateOutOfRange: {e}", latency_s=latency)
    return SampleResult(**base, hit=hit, point=point, latency_s=latency)


def _accuracy(group: str, results: Sequence[SampleResult]) -> Accuracy:
    n, hits = len(results), sum(r.hit for r in results)
    low, high = wilson_interval(hits, n)
    return Accuracy(
        group=group, samples=n, hits=hits, accuracy=hits / n if n else 0.0, ci_low=low, ci_high=high
    )


def aggregate(grounder: str, results: Sequence[SampleResult]) -> GroundingReport:
    buckets: dict[str, list[SampleResult]] = defaultdict(list)
    for r in results:
        buckets[f"platform={r.platform}"].append(r)
        buckets[f"type={r.ui_type}"].append(r)
        buckets[f"{r.platform}/{r.ui_type}"].append(r)
    return GroundingReport(
        grounder=grounder,
        overall=_accuracy("overall", results),
        groups=tuple(_accuracy(k, buckets[k]) for k in sorted(buckets)),
        results=tuple(results),
        errors=sum(r.error is not None for r in results),
        mean_latency_s=sum(r.latency_s for r in results) / len(results) if results else 0.0,
    )


def evaluate_grounder(
    grounder: Grounder,
    samples: Sequence[GroundingSample],
    *,
    name: str = "",
    on_result: Callable[[SampleResult], None] | None = None,
) -> GroundingReport:
    """Ask ``grounder`` for every sample and score the answers."""
    results = []
    cached: tuple[Path, Image.Image] | None = None
    for sample in samples:
        # Data sets list the targets of one screenshot together: decode each image once.
        if cached is None or cached[0] != sample.image:
            cached = (sample.image, load_image(sample.image))
        result = evaluate_sample(grounder, sample, cached[1])
        results.append(result)
        if on_result is not None:
            on_result(result)
    return aggregate(name or type(grounder).__name__, results)


def report_table(report: GroundingReport) -> str:
    """Accuracy per group as a fixed-width table (also valid Markdown)."""
    rows = [("group", "samples", "accuracy", "95% CI")]
    for a in (*report.groups, report.overall):
        rows.append(
            (
                a.group,
                str(a.samples),
                f"{100 * a.accuracy:.1f}%",
                f"{100 * a.ci_low:.0f}-{100 * a.ci_high:.0f}%",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    head = (
        f"grounder: {report.grounder}   unusable answers: {report.errors}   "
        f"mean latency: {1000 * report.mean_latency_s:.0f} ms"
    )
    return head + "\n\n" + "\n".join(lines)
