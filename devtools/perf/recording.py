"""What recording one step costs: its screenshot and three event lines.

Run: ``python -m devtools.perf.recording [--runs N]``

Each step stores a new 1280x800 screenshot (a user-interface-like picture) and writes three
event lines (two notes and the ``step`` event), into a run directory on the default temp
file system. Variants, interleaved step by step, each into its own run directory:

- ``old``: the recorder as it was: a SHA-256 over the pixels, Pillow's PNG encoder, and an
  fsync after every event line.
- ``browser``: the recorder now, for a screenshot that arrived as PNG (Chromium's bytes,
  decoded by the driver outside the timing, as before): the bytes are hashed and written
  as they are; one fsync, after the ``step`` event.
- ``desktop``: the recorder now, for a screenshot without an encoding: one fast encode
  (which the HTTP backend then reuses) and one fsync.

Prints medians and the ratio of each variant to ``old``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image

from devtools.perf.model_client import driver_copy, screen
from screenpilot.agent.trajectory import TrajectoryRecorder
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation

SIZE = (1280, 800)
VARIANTS = ("old", "browser", "desktop")


class OldRecorder:
    """The screenshot and event writing of the recorder before (same files, same names)."""

    def __init__(self, run_dir: Path) -> None:
        (run_dir / "shots").mkdir(parents=True)
        self.run_dir = run_dir
        self._events = (run_dir / "events.jsonl").open("a", encoding="utf-8")

    def event(self, kind: str, **data: Any) -> None:
        self._events.write(json.dumps({"type": kind, "t": time.time(), **data}) + "\n")
        self._events.flush()
        os.fsync(self._events.fileno())

    def save_screenshot(self, image: Image.Image) -> str:
        h = hashlib.sha256()
        h.update(f"{image.mode}:{image.size}".encode())
        h.update(image.tobytes())
        digest = h.hexdigest()
        path = self.run_dir / "shots" / f"{digest}.png"
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=1)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, path)
        return digest

    def close(self) -> None:
        self._events.close()


def observation(image: Image.Image) -> Observation:
    return Observation(
        screenshot=image,
        geometry=ScreenGeometry.simple(image.width, image.height),
        capabilities=Capabilities.of_screenshot(),
    )


def record_step(recorder: Any, shot: Image.Image | Observation, index: int) -> float:
    t0 = time.perf_counter()
    digest = recorder.save_screenshot(shot)
    recorder.event("policy_notice", notice="the page is still loading")
    recorder.event("observer_fired", observer="cookie banner", index=index)
    recorder.event("step", index=index, screenshot=digest, thought="Click the button.", actions=[])
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="timed steps per variant")
    args = parser.parse_args()
    pictures = [screen(*SIZE, seed) for seed in range(args.runs)]
    shots: dict[str, list[Any]] = {
        "old": [p.copy() for p in pictures],
        "browser": [observation(driver_copy(p)) for p in pictures],
        "desktop": [observation(p.copy()) for p in pictures],
    }
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        recorders: dict[str, Any] = {
            "old": OldRecorder(Path(tmp) / "old"),
            "browser": TrajectoryRecorder(Path(tmp) / "browser"),
            "desktop": TrajectoryRecorder(Path(tmp) / "desktop"),
        }
        for i in range(args.runs):
            for v in VARIANTS if i % 2 else reversed(VARIANTS):
                times[v].append(record_step(recorders[v], shots[v][i], i))
        for r in recorders.values():
            r.close()
    old = statistics.median(times["old"])
    print(f"recording one step ({SIZE[0]}x{SIZE[1]} screenshot + 3 event lines), medians of {args.runs}")
    print(f"old      {old * 1000:6.1f} ms")
    for v in VARIANTS[1:]:
        m = statistics.median(times[v])
        print(f"{v:8} {m * 1000:6.1f} ms   {old / m:4.1f}x faster")


if __name__ == "__main__":
    main()
