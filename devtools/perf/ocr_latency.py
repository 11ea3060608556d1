"""Per-step OCR latency at 1280x800: full reads, the former cascading reader, the line-level one.

Frame sequences are recorded in headless Chromium (:mod:`devtools.perf.ocr_sequences`: a
sign-in on the bundled demo pages, typing into a field of a long form, ticking checkboxes,
opening a menu, and scrolling a little, which is reported apart as a large change). Every
step of every sequence is read three ways, interleaved: a full read, the former cascading
incremental reader (``margin`` 12, its default), and :class:`IncrementalOcr`.

Agreement of an incremental read with the full read of the same frame: the fraction of the
full read's lines matched by an incremental line with the same normalised text and a box
IoU of at least 0.5. The first frame of a sequence is a full read for every reader and is
left out of the per-step figures.

    python -m devtools.perf.ocr_latency [--runs 2]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image

from devtools.perf.cascade_ocr import CascadeConfig, CascadeOcr
from devtools.perf.ocr_sequences import HEIGHT, WIDTH, record
from screenpilot.tools.perception.incremental_ocr import IncrementalOcr
from screenpilot.tools.perception.ocr import OcrEngine, TextBox, to_array
from screenpilot.tools.perception.templates import iou
from screenpilot.tools.perception.text_match import normalize

VARIANTS = ("full", "cascade", "new")
SMALL = ("sign-in", "typing", "checkbox", "menu")


def agreement(full: list[TextBox], got: list[TextBox]) -> float:
    """Share of ``full``'s lines matched by a line of ``got`` (same normalised text, IoU >= 0.5)."""
    if not full:
        return 1.0
    hit = sum(
        any(normalize(g.text) == normalize(f.text) and iou(g.box, f.box) >= 0.5 for g in got) for f in full
    )
    return hit / len(full)


def _timed(fn: Callable[[np.ndarray], list[TextBox]], arr: np.ndarray) -> tuple[float, list[TextBox]]:
    t0 = time.perf_counter()
    out = fn(arr)
    return time.perf_counter() - t0, out


def run(frames: list[Image.Image], engine: OcrEngine) -> dict[str, list[tuple[float, float]]]:
    """(seconds, agreement) per step after the first, per variant, interleaved per step."""
    cascade = CascadeOcr(engine, CascadeConfig(margin=12))
    new = IncrementalOcr(engine)
    readers: dict[str, Callable[[np.ndarray], list[TextBox]]] = {
        "full": engine.read,
        "cascade": cascade.read,
        "new": new.read,
    }
    out: dict[str, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
    for n, image in enumerate(frames):
        arr = to_array(image)
        results = {v: _timed(readers[v], arr) for v in VARIANTS}
        if n == 0:
            continue
        truth = results["full"][1]
        for v in VARIANTS:
            out[v].append((results[v][0], agreement(truth, results[v][1])))
    return out


def _row(label: str, steps: dict[str, list[tuple[float, float]]]) -> str:
    full = statistics.median(t for t, _ in steps["full"])
    cells = []
    for v in VARIANTS:
        times = [t for t, _ in steps[v]]
        agree = [a for _, a in steps[v]]
        med = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else med
        cells.append(
            f"{v} {med * 1000:6.0f}/{p90 * 1000:6.0f} ms x{full / med:4.1f} agr {statistics.mean(agree):.3f}"
            f" (min {min(agree):.2f})"
        )
    return f"{label:<10} n={len(steps['full']):<3} " + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    sequences = record()
    engine = OcrEngine()
    engine.read(sequences["sign-in"][0])  # load the models outside the timings
    per_seq: dict[str, dict[str, list[tuple[float, float]]]] = {
        name: {v: [] for v in VARIANTS} for name in sequences
    }
    for _ in range(args.runs):
        for name, frames in sequences.items():
            for v, steps in run(frames, engine).items():
                per_seq[name][v] += steps
    print(
        f"{WIDTH}x{HEIGHT}, runs: {args.runs}; per step after the first frame: median/p90 ms, "
        "speed-up over full, agreement with the full read (mean, min)"
    )
    for name, seq in per_seq.items():
        print(_row(name, seq))
    small = {v: [s for name in SMALL for s in per_seq[name][v]] for v in VARIANTS}
    print(_row("small", small))
    print(_row("all", {v: [s for name in per_seq for s in per_seq[name][v]] for v in VARIANTS}))


if __name__ == "__main__":
    main()
