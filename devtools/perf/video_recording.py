"""Run videos: memory over a long recording, size per minute, cost per frame.

Run: ``python -m devtools.perf.video_recording [--steps 300] [--step-s 2] [--capture-s 20]``

1. Writes a synthetic run of ``--steps`` steps, one every ``--step-s`` seconds, whose
   1280x800 screenshots look like a form being filled in (text changes every step, a
   highlight moves), renders it with :func:`~app.video.render.render_run` and samples the
   process's resident memory every 20 ms: it prints the memory after 10 % of the frames,
   the peak, and the growth from one to the other, the video's size per minute of run and
   the render time per frame.
2. Starts a private Xvfb (1280x800) and films it with continuous capture at 5 fps for
   ``--capture-s`` seconds into ``capture.mp4`` while a clock on screen changes every
   frame; prints grab and encode time per frame, frames dropped, and memory growth.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devtools.perf.desktop_capture import own_xvfb
from screenpilot.app.video.capture_file import CaptureFile
from screenpilot.app.video.render import render_run
from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# A window whose text changes ten times a second, so that every captured frame differs.
TK_CLOCK = """
import time, tkinter as tk
root = tk.Tk(); root.geometry("900x300+100+100")
label = tk.Label(root, font=("DejaVu Sans", 48)); label.pack(expand=True)
def tick():
    label.config(text=f"{time.time():.1f}"); root.after(100, tick)
tick(); root.mainloop()
"""


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


class RssSampler:
    """Samples resident memory in a thread; ``samples`` is ``(seconds, MB)``."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic() - self._t0, rss_mb()))
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def form_screen(i: int, font: ImageFont.FreeTypeFont) -> Image.Image:
    img = Image.new("RGB", (1280, 800), (246, 247, 249))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1280, 56], fill=(22, 30, 45))
    d.text((24, 14), f"Orders · page {i // 25 + 1}", font=font, fill="white")
    for row in range(8):
        y = 100 + row * 70
        d.text((80, y), f"Field {row + 1}", font=font, fill=(40, 40, 40))
        d.rectangle([300, y - 6, 900, y + 34], outline=(150, 150, 160), fill="white")
        typed = f"value {row}-{i}" if row <= i % 8 else ""
        d.text((310, y), typed, font=font, fill=(20, 20, 20))
    hy = 100 + (i % 8) * 70
    d.rectangle([296, hy - 10, 904, hy + 38], outline=(37, 99, 235), width=3)
    return img


def write_synthetic_run(run_dir: Path, steps: int, step_s: float) -> None:
    font = ImageFont.truetype(FONT, 22)
    (run_dir / "shots").mkdir(parents=True)
    epoch = 1_700_000_000.0
    lines = [{"type": "run_started", "t": epoch, "task": "fill the order forms"}]
    for i in range(steps):
        form_screen(i, font).save(run_dir / "shots" / f"s{i}.png")
        lines.append(
            {
                "type": "step",
                "t": epoch + i * step_s + 0.4,
                "index": i,
                "screenshot": f"s{i}",
                "thought": f"Field {i % 8 + 1} is next; typing its value for order {i // 8}.",
                "outcomes": [{"action": {"action": "type", "text": f"value {i}"}, "ok": True, "message": ""}],
                "times": {"observe_s": 0.05, "predict_s": 0.3, "act_s": 0.1},
            }
        )
    lines.append({"type": "run_finished", "t": epoch + steps * step_s, "status": "success"})
    (run_dir / "events.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (run_dir / "manifest.json").write_text(json.dumps({"run_id": run_dir.name, "task": "fill the forms"}))


def recording(steps: int, step_s: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        write_synthetic_run(run, steps, step_s)
        with RssSampler() as sampler:
            t0 = time.monotonic()
            rec = render_run(run)
            spent = time.monotonic() - t0
        values = [mb for _, mb in sampler.samples]
        early = values[max(1, len(values) // 10)]
        minutes = rec.duration_s / 60
        print(f"recording: {steps} steps, {rec.duration_s / 60:.1f} min of run, {rec.frames} frames")
        print(
            f"  memory: {early:.0f} MB after 10% of the frames, peak {max(values):.0f} MB "
            f"(growth {max(values) - early:+.1f} MB)"
        )
        print(
            f"  video: {rec.bytes / 2**20:.2f} MiB, {rec.bytes / 2**20 / minutes:.2f} MiB per minute of run"
        )
        print(f"  render: {1000 * spent / rec.frames:.0f} ms per frame (decode PNG, caption, encode)")


def capture(seconds: float, fps: float) -> None:
    with own_xvfb(1280, 800) as display, tempfile.TemporaryDirectory() as tmp:
        clock = subprocess.Popen(
            [sys.executable, "-c", TK_CLOCK],
            env={**os.environ, "DISPLAY": display},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env = DesktopEnvironment(DesktopConfig(display=display, abort_hotkey=()))
        try:
            sink = CaptureFile(Path(tmp))
            before = rss_mb()
            with RssSampler() as sampler:
                handle = env.start_capture(sink, fps=fps)
                time.sleep(seconds)
                stats = handle.stop()
            sink.close(stats)
            peak = max(mb for _, mb in sampler.samples)
            quarter = max(mb for t, mb in sampler.samples if t <= seconds / 4)
            size = (Path(tmp) / "capture.mp4").stat().st_size
        finally:
            env.close()
            clock.terminate()
        print(
            f"capture: {stats.written} frames at {fps:g} fps in {stats.seconds:.1f} s, "
            f"{stats.dropped} dropped"
        )
        print(
            f"  per frame: grab {stats.grab_ms:.1f} ms + encode {stats.sink_ms:.1f} ms "
            f"(capture thread + writer thread), {stats.dropped} dropped, late ticks {stats.late_ticks}"
        )
        print(
            f"  memory: {before:.0f} MB before, {quarter:.0f} MB in the first quarter, peak {peak:.0f} MB; "
            f"raw capture {size / 2**20 / (seconds / 60):.2f} MiB/min"
        )


def timed(label: str, fn: Callable[[], None]) -> None:
    t0 = time.monotonic()
    fn()
    print(f"({label}: {time.monotonic() - t0:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--step-s", type=float, default=2.0)
    p.add_argument("--capture-s", type=float, default=20.0)
    p.add_argument("--fps", type=float, default=5.0)
    args = p.parse_args(argv)
    if args.steps:
        timed("recording", lambda: recording(args.steps, args.step_s))
    if args.capture_s:
        timed("capture", lambda: capture(args.capture_s, args.fps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
