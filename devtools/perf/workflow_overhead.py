"""Per-step cost of the workflow runner on the fake environment, against the bare calls.

Run: ``python -m devtools.perf.workflow_overhead [--runs N] [--steps N]``

A workflow of ``steps`` clicks on a text target (with and without a popup observer) is
compared with the environment calls the same work needs without the runner (observe,
look the element up by hand, execute), measured in the same process; the recorded
variant also writes the full trajectory (events, screenshots, result).

The text-observer rows run a workflow whose steps leave the screen as it is (clicking a
label) with an observer looking for text that is not there, so every look falls through to
OCR; the same shared engine reads with the unchanged-screen skip off (every look is a full
read), with only the incremental reader, and with the skip on (the default).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.offline.grounder import GrounderConfig, OfflineGrounder
from screenpilot.tools.actions import Click
from screenpilot.tools.perception.ocr import OcrEngine
from screenpilot.tools.points import Point
from screenpilot.workflows import WorkflowRunner, parse_workflow
from screenpilot.workflows.pixels import ocr_region_reader, ocr_text_finder
from screenpilot.workflows.resolver import ScreenResolver

OBSERVER = """
observers:
  - name: cookies
    when: {text: We use cookies}
    steps: [{click: Accept}]
"""


def bare(steps: int) -> float:
    env = FakeEnvironment()
    env.reset()
    t0 = time.perf_counter()
    for _ in range(steps):
        obs = env.observe()
        el = next(e for e in obs.elements if e.label == "Remember me")
        env.execute(Click(at=Point(x=el.box.center.x, y=el.box.center.y)))
    return (time.perf_counter() - t0) / steps


def workflow(steps: int, out_dir: Path | None, *, observer: bool) -> float:
    text = "name: bench\ndefaults: {settle_timeout: 0}\nsteps:\n" + "  - click: Remember me\n" * steps
    loaded = parse_workflow(text + (OBSERVER if observer else ""))
    runner = WorkflowRunner(FakeEnvironment(), out_dir=out_dir)
    t0 = time.perf_counter()
    result = runner.run(loaded)
    elapsed = time.perf_counter() - t0
    assert result.success and result.run.steps == steps, result
    return elapsed / steps


TEXT_OBSERVER_MODES = {
    "text observer, OCR every look:": GrounderConfig(incremental=False, skip_unchanged=False),
    "text observer, incremental only:": GrounderConfig(incremental=True, skip_unchanged=False),
    "text observer, unchanged skip:": GrounderConfig(),
}


def text_observer(steps: int, engine: OcrEngine, config: GrounderConfig) -> tuple[float, int]:
    """Seconds per step and OCR engine runs of a workflow whose text observer falls through to OCR."""
    text = "name: bench\ndefaults: {settle_timeout: 0}\nsteps:\n" + "  - click: Username\n" * steps
    grounder = OfflineGrounder(config, engine=engine)
    resolver = ScreenResolver(text_finder=ocr_text_finder(grounder), read_region=ocr_region_reader(grounder))
    env = FakeEnvironment()
    grounder.ocr_lines(env.reset())  # the first look at a screen is a full read in every mode
    calls = engine.calls
    runner = WorkflowRunner(env, resolver=resolver)
    t0 = time.perf_counter()
    result = runner.run(parse_workflow(text + OBSERVER))
    elapsed = time.perf_counter() - t0
    assert result.success and result.run.steps == steps, result
    return elapsed / steps, engine.calls - calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--ocr-steps", type=int, default=8)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {"bare": [], "plain": [], "observer": [], "recorded": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            rows["bare"].append(bare(args.steps))
            rows["plain"].append(workflow(args.steps, None, observer=False))
            rows["observer"].append(workflow(args.steps, None, observer=True))
            rows["recorded"].append(workflow(args.steps, Path(tmp) / str(i), observer=True))
    b = statistics.median(rows["bare"]) * 1000
    print(f"fake env observe+find+execute alone:   {b:.2f} ms/step (median of {args.runs} runs)")
    engine = OcrEngine()
    engine.read(FakeEnvironment().reset().screenshot)  # load the models outside the timings
    ocr: dict[str, list[tuple[float, int]]] = {k: [] for k in TEXT_OBSERVER_MODES}
    for _ in range(args.runs):
        for label, config in TEXT_OBSERVER_MODES.items():
            ocr[label].append(text_observer(args.ocr_steps, engine, config))
    base = statistics.median(t for t, _ in ocr["text observer, OCR every look:"]) * 1000
    labels = {
        "plain": "workflow, no recording:",
        "observer": "workflow + 1 observer, no recording:",
        "recorded": "workflow + observer, full trajectory:",
    }
    for key, label in labels.items():
        m = statistics.median(rows[key]) * 1000
        print(f"{label:<38} {m:.2f} ms/step (overhead {m - b:.2f} ms, x{m / b:.2f})")
    for label, got in ocr.items():
        m = statistics.median(t for t, _ in got) * 1000
        reads = statistics.median(n for _, n in got)
        print(
            f"{label:<38} {m:.2f} ms/step, {reads:g} OCR runs in {args.ocr_steps} steps"
            f" (x{base / m:.1f} faster than OCR every look)"
        )


if __name__ == "__main__":
    main()
