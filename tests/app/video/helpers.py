"""A run directory written by hand: steps at chosen times, each screenshot one flat colour
that encodes the step's index, so a decoded frame says which step it shows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

EPOCH = 1_700_000_000.0
SIZE = (640, 400)


def step_color(i: int) -> tuple[int, int, int]:
    """A colour per step, far apart from its neighbours even after lossy encoding."""
    return ((37 * i) % 200 + 40, (91 * i) % 200 + 40, (53 * i) % 200 + 40)


def which_step(frame: Image.Image, steps: int) -> int:
    """The step whose colour the frame's upper half is closest to (captions sit at the bottom)."""
    arr = np.asarray(frame.convert("RGB"))[: frame.height // 2, 40:-40].reshape(-1, 3).mean(axis=0)
    return int(np.argmin([np.abs(arr - np.array(step_color(i))).sum() for i in range(steps)]))


def write_run(run_dir: Path, starts: list[float], *, end: float, size: tuple[int, int] = SIZE) -> Path:
    """Steps whose screenshots were taken at ``starts`` seconds; the run ends at ``end``.

    Each step spent 0.1 s predicting after its screenshot, so its event is written 0.1 s later.
    """
    (run_dir / "shots").mkdir(parents=True)
    (run_dir / "manifest.json").write_text(json.dumps({"run_id": run_dir.name, "task": "synthetic"}))
    lines = [{"type": "run_started", "t": EPOCH, "task": "synthetic"}]
    for i, s in enumerate(starts):
        Image.new("RGB", size, step_color(i)).save(run_dir / "shots" / f"s{i}.png")
        lines.append(
            {
                "type": "step",
                "t": EPOCH + s + 0.1,
                "index": i,
                "screenshot": f"s{i}",
                "thought": f"thinking about step {i + 1} <and> more",
                "outcomes": [
                    {"action": {"action": "wait", "seconds": 0.1}, "ok": True, "message": ""},
                ],
                "times": {"observe_s": 0.05, "predict_s": 0.1},
            }
        )
    lines.append({"type": "run_finished", "t": EPOCH + end, "status": "success"})
    (run_dir / "events.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (run_dir / "result.json").write_text(json.dumps({"status": "success", "steps": len(starts)}))
    return run_dir
