"""Grounders that need no model: floors for the grounding metric."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.observation import Observation
from screenpilot.tools.options import validate_options
from screenpilot.tools.points import CoordSpace, Point


class CenterGrounder:
    """Always answers the centre of the screenshot: what a metric scores with no skill."""

    def locate(self, observation: Observation, description: str) -> Point:
        return Point(x=500, y=500, space=CoordSpace.REL1000)


class _NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


def center_from_options(options: Mapping[str, Any]) -> CenterGrounder:
    validate_options(_NoOptions, options, what="the center grounder")
    return CenterGrounder()
