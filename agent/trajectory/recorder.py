"""Writes a run to disk as it happens.

Layout::

    runs/<run_id>/manifest.json   config, model, prompt version, versions
                  events.jsonl    append-only; one JSON object a line
                  shots/<sha>.png screenshots by content hash (SHA-256 of the PNG file)
                  result.json     written atomically, last

Every event line is handed to the operating system before :meth:`TrajectoryRecorder.event`
returns, so a killed process loses nothing it recorded; the file is fsynced at step
boundaries (the events in :data:`SYNC_EVENTS`) and on close, which bounds what a power
loss can take to the lines of one step. A screenshot is written (temporary file, then
rename) before the step event that names it.

A shot is the PNG the driver delivered when it delivered one (Chromium's bytes are stored
as they came: nothing is decoded, hashed or encoded again to record them), else one encode
shared with the model backend. Its name is the SHA-256 of the file, so ``sha256sum`` of a
stored shot reproduces its name; the same pixels from two encoders are two files.

Everything passes through the secret redactor before it reaches the disk.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from PIL import Image

from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.encoded import digest_of, png_of
from screenpilot.environments.observation import Observation
from screenpilot.tools.errors import ConfigError

SYNC_EVENTS = frozenset({"step", "step_skipped", "crash", "run_finished", "agent_finished"})
"""Events that end a step or a run: the event log is fsynced after each of them."""


def remove_stale_temporaries(run_dir: Path) -> list[str]:
    """Delete the temporary files a killed writer left in ``run_dir`` (names returned).

    Temporaries carry their writer's process id (``.<name>.<pid>.tmp``); one whose
    writer is still running is kept. Nothing is raised: a read-only run stays as it is.
    """
    removed: list[str] = []
    for tmp in [*run_dir.glob(".*.tmp"), *run_dir.glob("shots/*.tmp")]:
        if _writer_alive(tmp.name):
            continue
        try:
            tmp.unlink()
        except OSError:
            continue
        removed.append(str(tmp.relative_to(run_dir)))
    return removed


def _writer_alive(name: str) -> bool:
    pid = name.rsplit(".", 2)[-2] if name.count(".") >= 2 else ""
    if not pid.isdigit():
        return False  # an old-style name without a writer: the writer is long gone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else
    return True


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON so that readers see the old file or the whole new one, never a part."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # a lone surrogate (from a page title, say) has no UTF-8 form; inside a JSON string its
    # backslash escape is exactly the JSON escape, so the text reads back unchanged
    with tmp.open("w", encoding="utf-8", errors="backslashreplace") as f:
        json.dump(data, f, ensure_ascii=False, indent=2, default=str)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class TrajectoryRecorder:
    """Records one run under ``run_dir``."""

    def __init__(self, run_dir: Path, secrets: SecretStore | None = None, *, fsync: bool = True) -> None:
        """Create ``run_dir`` (and ``shots/``) and open the event log.

        Raises:
            ConfigError: When the directory cannot be created or written (a bad ``--out``).
        """
        self.run_dir = run_dir
        self.secrets = secrets or SecretStore()
        self.fsync = fsync
        try:
            (run_dir / "shots").mkdir(parents=True, exist_ok=True)
            self._events = (run_dir / "events.jsonl").open("a", encoding="utf-8", errors="backslashreplace")
        except OSError as e:
            raise ConfigError(f"cannot record the run in {run_dir}: {e.strerror or e}") from None
        self._lock = threading.Lock()
        self._saved: set[str] = set()

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_json(self.run_dir / "manifest.json", self.secrets.redact(manifest))

    def event(self, kind: str, **data: Any) -> None:
        """Append one event: written through to the OS when this returns (a killed process
        keeps it), and fsynced when ``kind`` ends a step or a run (:data:`SYNC_EVENTS`)."""
        record = self.secrets.redact({"type": kind, "t": time.time(), **data})
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self._events.write(line + "\n")
            self._events.flush()
            if self.fsync and kind in SYNC_EVENTS:
                os.fsync(self._events.fileno())

    def save_screenshot(self, shot: Observation | Image.Image) -> str:
        """Store a screenshot once per content hash; return the hash.

        ``shot``'s PNG is the driver's bytes when it delivered PNG, else one encode that the
        model backend shares (:mod:`screenpilot.environments.encoded`); neither is made again.
        """
        image = shot.screenshot if isinstance(shot, Observation) else shot
        digest = digest_of(image)
        if digest not in self._saved:
            path = self.run_dir / "shots" / f"{digest}.png"
            if not path.exists():
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(png_of(image))
                os.replace(tmp, path)
            self._saved.add(digest)
        return digest

    def finish(self, result: dict[str, Any]) -> None:
        """Write ``result.json`` (atomically) and close the event log."""
        atomic_write_json(self.run_dir / "result.json", self.secrets.redact(result))
        self.close()

    def close(self) -> None:
        with self._lock:
            if not self._events.closed:
                self._events.flush()
                if self.fsync:
                    os.fsync(self._events.fileno())
                self._events.close()
