"""Reads runs back, tolerating a run that was killed mid-write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field


class Trajectory(BaseModel):
    """A run as read from disk.

    Attributes:
        run_dir: Where it lives.
        manifest: The manifest, or ``{}`` if the run died before writing it.
        events: Every complete event line, in order.
        result: ``result.json``, or ``None`` when the run did not finish.
        truncated_tail: Whether the last line was cut off (the run was killed mid-write).
    """

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list)
    result: dict[str, Any] | None = None
    truncated_tail: bool = False

    @property
    def steps(self) -> list[dict[str, Any]]:
        """The completed steps, in order."""
        return [e for e in self.events if e.get("type") == "step"]

    @property
    def finished(self) -> bool:
        return self.result is not None

    def screenshot_path(self, digest: str) -> Path:
        return self.run_dir / "shots" / f"{digest}.png"

    def screenshot(self, digest: str) -> Image.Image:
        return Image.open(self.screenshot_path(digest))


def read_events(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """Parse a JSONL file; a final line that does not parse is dropped and reported."""
    events: list[dict[str, Any]] = []
    truncated = False
    if not path.exists():
        return events, truncated
    lines = path.read_bytes().split(b"\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except (json.JSONDecodeError, UnicodeDecodeError):
            if i >= len(lines) - 2:  # the last non-empty line: a write cut short
                truncated = True
                continue
            raise ValueError(f"{path}: line {i + 1} is not JSON") from None
    return events, truncated


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return data if isinstance(data, dict) else None


def load_run(run_dir: str | Path) -> Trajectory:
    """Load a run directory, complete or not."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"no run directory at {run_dir}")
    events, truncated = read_events(run_dir / "events.jsonl")
    return Trajectory(
        run_dir=run_dir,
        manifest=_read_json(run_dir / "manifest.json") or {},
        events=events,
        result=_read_json(run_dir / "result.json"),
        truncated_tail=truncated,
    )
