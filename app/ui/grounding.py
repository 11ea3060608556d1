"""Ask a policy about an uploaded screenshot and say where it would act."""

from __future__ import annotations

import base64
import binascii
import io
import json
import threading
import time
from collections.abc import Mapping
from typing import Any, Literal

from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.registry import create
from screenpilot.app.report.action_marks import Mark, marks_for, target_marks
from screenpilot.environments.capabilities import Capabilities, InputKind
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Grounder, Policy
from screenpilot.model.types import Decision
from screenpilot.tools.actions import TERMINAL_KINDS
from screenpilot.tools.errors import ConfigError, ModelOutputError
from screenpilot.tools.points import Box, Point

_MAX_IMAGE_BYTES = 40 * 1024 * 1024


class GroundRequest(BaseModel):
    """What the page posts to ``/api/ground``."""

    model_config = ConfigDict(extra="forbid")

    image: str = Field(min_length=1)
    """A ``data:image/...;base64,`` URL or bare base64."""
    instruction: str = Field(min_length=1)
    policy: str
    options: dict[str, Any] = Field(default_factory=dict)
    mode: Literal["act", "locate"] = "act"
    platform: str = Field(default="desktop", min_length=1)
    """An informative name for the screenshot's platform."""
    input: InputKind = "pointer"
    """How the screen is operated (``touch`` offers a Qwen-VL policy the mobile tool)."""
    scale_factor: float = Field(default=1.0, gt=0.0)
    """Screenshot pixels per logical pixel of the screen it came from."""


class GroundResponse(BaseModel):
    model_config = ConfigDict(frozen=True)

    image_size: tuple[int, int]
    marks: tuple[Mark, ...] = ()
    actions: tuple[str, ...] = ()
    thought: str = ""
    raw: str = ""
    error: str | None = None
    latency_s: float = 0.0


def decode_image(data: str) -> Image.Image:
    """Decode a data URL or bare base64 into an RGB image.

    Raises:
        ConfigError: When it is not base64 or not an image.
    """
    payload = data.split(",", 1)[1] if data.startswith("data:") else data
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError("the image is not valid base64") from None
    if len(raw) > _MAX_IMAGE_BYTES:
        raise ConfigError("the image is larger than 40 MB")
    try:
        with Image.open(io.BytesIO(raw)) as img:
            return img.convert("RGB")
    except UnidentifiedImageError:
        raise ConfigError("the upload is not an image PIL can read") from None


class PolicyCache:
    """Builds each (policy, options) pair once: real models take seconds to load.

    Calls to one policy are serialised; policies are not promised to be thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[Any, threading.Lock]] = {}

    def get(self, name: str, options: Mapping[str, Any]) -> tuple[Any, threading.Lock]:
        key = json.dumps([name, dict(options)], sort_keys=True, default=str)
        with self._lock:
            if key not in self._items:
                self._items[key] = (create("policies", name, options), threading.Lock())
            return self._items[key]


def describe_target(target: Point | Box) -> str:
    """A grounder's answer for people: ``(412, 230) in rel1000`` or a box's corners."""
    if isinstance(target, Point):
        return f"({target.x:.0f}, {target.y:.0f}) in {target.space.value}"
    return (
        f"box ({target.x0:.0f}, {target.y0:.0f})-({target.x1:.0f}, {target.y1:.0f}) in {target.space.value}"
    )


def ground(request: GroundRequest, cache: PolicyCache) -> GroundResponse:
    """Run the policy once on the uploaded image.

    ``act`` calls ``predict`` and marks every located action; when the decision locates
    nothing (the instruction is a bare description such as "the Sign in button", which a
    literal policy does not read as a command) and the policy can also locate, it locates
    the description and marks that. ``locate`` needs a policy that is also a
    :class:`~model.policy.Grounder` and marks the point or box it returns.

    Raises:
        ConfigError: Bad image, unknown policy or options, or ``locate`` on a policy that
            cannot locate.
    """
    image = decode_image(request.image)
    w, h = image.size
    s = request.scale_factor
    geometry = ScreenGeometry(
        image_size=Size(width=w, height=h),
        logical_size=Size(width=max(1, round(w / s)), height=max(1, round(h / s))),
        scale_factor=s,
    )
    caps = Capabilities.of_screenshot(request.platform, input=request.input)
    obs = Observation(screenshot=image, geometry=geometry, capabilities=caps)
    policy, lock = cache.get(request.policy, request.options)
    start = time.monotonic()
    with lock:
        try:
            if request.mode == "locate":
                return _locate(policy, request, obs, start)
            if not isinstance(policy, Policy):
                raise ConfigError(f"{request.policy!r} is not a policy")
            decision = policy.predict(request.instruction, obs, ())
            if not _locates(decision) and isinstance(policy, Grounder):
                located = _locate(policy, request, obs, start)
                note = f"read {request.instruction!r} as a target to locate: "
                return located.model_copy(update={"thought": note + (decision.thought or "")})
        except ModelOutputError as e:
            return GroundResponse(
                image_size=(w, h), error=str(e), raw=e.raw, latency_s=time.monotonic() - start
            )
    return GroundResponse(
        image_size=(w, h),
        marks=tuple(marks_for(((a, True) for a in decision.actions), geometry)),
        actions=tuple(a.describe() for a in decision.actions),
        thought=decision.thought,
        raw=decision.raw,
        latency_s=time.monotonic() - start,
    )


def _locates(decision: Decision) -> bool:
    """Whether a decision does something on the screen (more than ending the run)."""
    return any(a.action not in TERMINAL_KINDS for a in decision.actions)


def _locate(policy: Any, request: GroundRequest, obs: Observation, start: float) -> GroundResponse:
    if not isinstance(policy, Grounder):
        raise ConfigError(f"policy {request.policy!r} cannot locate; use mode 'act'")
    target = policy.locate(obs, request.instruction)
    return GroundResponse(
        image_size=(obs.geometry.image_size.width, obs.geometry.image_size.height),
        marks=tuple(target_marks(target, obs.geometry)),
        actions=(f"located {describe_target(target)}",),
        latency_s=time.monotonic() - start,
    )
