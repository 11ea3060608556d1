"""Policies, runs and pixel probes shared by the report and UI tests.

The policy factories are registered in agent.registry.POLICIES by the UI tests, so the UI
reaches them through the same registry path as real policies.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from screenpilot.environments.observation import Observation
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.actions import Click, Terminate, TypeText
from screenpilot.tools.points import Box, CoordSpace, Point


def clicker(options: Mapping[str, Any]) -> FunctionPolicy:
    """Clicks at ``x, y`` (relative 0-1000) whatever the instruction."""
    x, y = float(options["x"]), float(options["y"])

    def act(task: str, obs: Observation, history: Sequence[HistoryStep], fb: Sequence[Feedback]) -> Decision:
        click = Click(at=Point(x=x, y=y, space=CoordSpace.REL1000))
        return Decision(
            actions=(click,), thought=f"clicking for: {task}", raw=f"<tool_call>{click}</tool_call>"
        )

    return FunctionPolicy(act, name="clicker")


class BoxGrounder:
    """A policy that is also a grounder: ``locate`` answers a box in screen pixels."""

    name = "box-grounder"

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.box = Box(
            x0=float(options["x0"]),
            y0=float(options["y0"]),
            x1=float(options["x1"]),
            y1=float(options["y1"]),
            space=CoordSpace.SCREEN,
        )

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        return Decision(actions=(Click(at=self.box.center),))

    def locate(self, observation: Observation, description: str) -> Point | Box:
        return self.box


def box_grounder(options: Mapping[str, Any]) -> BoxGrounder:
    return BoxGrounder(options)


def slow_signer(options: Mapping[str, Any]) -> FunctionPolicy:
    """Signs in to the fake login app, ``delay`` seconds per step, from the elements it sees."""
    delay = float(options.get("delay", 0.4))

    def act(task: str, obs: Observation, history: Sequence[HistoryStep], fb: Sequence[Feedback]) -> Any:
        time.sleep(delay)
        boxes = {e.id: e.box for e in obs.elements}
        step = len(history)
        if step == 0:
            return Click(at=boxes["username"].center)
        if step == 1:
            return TypeText(text="alice")
        if step == 2:
            return Click(at=boxes["password"].center)
        return Terminate(status="success")

    return FunctionPolicy(act, name="slow-signer")


def color_pixels(path: Path | Image.Image, color: str) -> list[tuple[int, int]]:
    """Coordinates of marker-coloured pixels (``red`` or ``magenta``) in a screenshot."""
    img = path if isinstance(path, Image.Image) else Image.open(path)
    a = np.asarray(img.convert("RGB")).astype(int)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    hit = (r > 220) & (g < 60) & ((b < 60) if color == "red" else (b > 220))
    ys, xs = np.nonzero(hit)
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def centroid_near(
    pixels: list[tuple[int, int]], at: tuple[float, float], radius: float
) -> tuple[tuple[float, float], int]:
    """Centroid and count of the pixels within ``radius`` of ``at``."""
    near = [(x, y) for x, y in pixels if (x - at[0]) ** 2 + (y - at[1]) ** 2 <= radius**2]
    if not near:
        return (float("nan"), float("nan")), 0
    return (sum(x for x, _ in near) / len(near), sum(y for _, y in near) / len(near)), len(near)
