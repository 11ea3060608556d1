"""Continuous screen capture: N frames a second in a thread, through a bounded queue.

One thread grabs on a fixed schedule and puts frames into a queue of ``queue_size``; a
second thread hands them to the sink (an encoder). When the sink falls behind, new frames
are dropped and counted rather than piling up in memory; when a grab takes longer than
the interval, the missed ticks are skipped and counted. The grabber is built inside its
thread because X11 capture connections must not cross threads.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

from PIL import Image

from screenpilot.environments.frames import CaptureStats, FrameSink

Grabber = Callable[[], Image.Image]


class ContinuousCapture:
    """Films a screen into a sink until stopped.

    Args:
        open_grabber: Called once in the capture thread; returns ``(grab, close)``.
        sink: Receives ``(image, wall_time)`` in the writer thread.
        fps: Frames per second to take.
        queue_size: Frames that may wait for the sink before new ones are dropped.
    """

    def __init__(
        self,
        open_grabber: Callable[[], tuple[Grabber, Callable[[], None]]],
        sink: FrameSink,
        *,
        fps: float,
        queue_size: int = 8,
    ) -> None:
        if fps <= 0 or queue_size < 1:
            raise ValueError("fps and queue_size must be positive")
        self._open = open_grabber
        self._sink = sink
        self.fps = fps
        self._queue: queue.Queue[tuple[Image.Image, float] | None] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._counts = {"grabbed": 0, "written": 0, "dropped": 0, "late": 0}
        self._grab_s = 0.0
        self._sink_s = 0.0
        self._error: BaseException | None = None
        self._started = 0.0
        self._grabber = threading.Thread(target=self._grab_loop, name="screen-capture", daemon=True)
        self._writer = threading.Thread(target=self._write_loop, name="capture-writer", daemon=True)

    def start(self) -> ContinuousCapture:
        self._started = time.monotonic()
        self._writer.start()
        self._grabber.start()
        return self

    def stop(self) -> CaptureStats:
        """Stop grabbing, let the sink take what is queued, and return the counts.

        Raises:
            Whatever the grabber or the sink raised, after both threads ended.
        """
        self._stop.set()
        self._grabber.join()
        self._queue.put(None)  # the writer's end marker; blocks only while the sink drains
        self._writer.join()
        if self._error is not None:
            raise self._error
        c = self._counts
        return CaptureStats(
            fps=self.fps,
            grabbed=c["grabbed"],
            written=c["written"],
            dropped=c["dropped"],
            late_ticks=c["late"],
            grab_ms=1000 * self._grab_s / max(1, c["grabbed"]),
            sink_ms=1000 * self._sink_s / max(1, c["written"]),
            seconds=time.monotonic() - self._started,
        )

    def _grab_loop(self) -> None:
        try:
            grab, close = self._open()
        except BaseException as e:
            self._error = e
            return
        interval = 1.0 / self.fps
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                t0 = time.monotonic()
                image, wall = grab(), time.time()
                self._grab_s += time.monotonic() - t0
                self._counts["grabbed"] += 1
                try:
                    self._queue.put_nowait((image, wall))
                except queue.Full:
                    self._counts["dropped"] += 1
                due += interval
                now = time.monotonic()
                if now > due:  # the grab overran: skip the ticks it ate
                    missed = int((now - due) / interval) + 1
                    self._counts["late"] += missed
                    due += missed * interval
                self._stop.wait(max(0.0, due - time.monotonic()))
        except BaseException as e:
            self._error = e
        finally:
            close()

    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # keep draining so that stop() never blocks on a full queue
            t0 = time.monotonic()
            try:
                self._sink.add(*item)
            except BaseException as e:
                self._error = e
                continue
            self._sink_s += time.monotonic() - t0
            self._counts["written"] += 1
