"""Per-step cost of the workflow runner on the fake environment, against the bare calls.

Run: ``python -m devtools.perf.workflow_overhead [--runs N] [--steps N]``

A workflow of ``steps`` clicks on a text target (with and without a popup observer) is
compared with the environment calls the same work needs without the runner (observe,
look the element up by hand, execute), measured in the same process; the recorded
variant also writes the full trajectory (events, screenshots, result).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from screenpilot.environments.fake import FakeEnvironment
from screenpilot.tools.actions import Click
from screenpilot.tools.points import Point
from screenpilot.workflows import WorkflowRunner, parse_workflow

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=40)
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
    labels = {
        "plain": "workflow, no recording:",
        "observer": "workflow + 1 observer, no recording:",
        "recorded": "workflow + observer, full trajectory:",
    }
    for key, label in labels.items():
        m = statistics.median(rows[key]) * 1000
        print(f"{label:<38} {m:.2f} ms/step (overhead {m - b:.2f} ms, x{m / b:.2f})")


if __name__ == "__main__":
    main()
