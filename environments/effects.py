"""What an action did: what its point hit, and what changed on the screen or page.

Drivers that can tell (see :class:`~screenpilot.environments.base.SupportsEffects`) fill an
:class:`Effect` for each action: the browser hit-tests the point before the action and
compares a cheap page summary after it; the desktop and Android compare the screen around
the point and as a whole, and the windows, activity and UI dump. The act pipeline records
the effect with the action's outcome and turns it into one short line for the policy.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.thumbnails import dhash, gray_boxes

ChangeKind = Literal[
    "url",
    "title",
    "focus",
    "blur",
    "value",
    "checked",
    "dom",
    "scroll",
    "tab",
    "dialog",
    "download",
    "blocked",
    "window",
    "activity",
    "ui",
    "screen",
]
"""What kind of thing changed. ``blocked`` (a navigation the allowlist stopped) is a fact
about the action, not a change, and ``blur`` (the focus left an element for the page) is
incidental to whatever the action was for: an effect with only these changed nothing."""

_NOT_A_CHANGE = frozenset({"blocked", "blur"})

SCREEN_CHANGED = 0.002
"""Fraction of the (downscaled) pixels that must differ for a screen to count as changed;
a blinking caret stays below it."""
LOCAL_CHANGED = 0.01
"""The same fraction for the region around an action's point."""
LOCAL_RADIUS = 48
"""Half the side of the square around the point that ``local`` measures, in screen pixels."""


class Hit(BaseModel):
    """What a pointer action's point landed on.

    Attributes:
        element: The front-most thing at the point (``div#cookie-wall``, ``window 'Notice'``).
        target: The interactive element meant: the hit element itself (or its interactive
            ancestor), or the one beneath it when it is covered.
        covered: Whether ``element`` lies over ``target`` and is not part of it.
        layer: The kind of layer ``element`` belongs to: ``backdrop``, ``dialog``,
            ``banner``, ``overlay``, ``iframe`` (one that cannot be looked into), a
            dialog ``window`` or another app's ``window``; empty for page content.
    """

    model_config = ConfigDict(frozen=True)

    element: str
    target: str = ""
    covered: bool = False
    layer: str = ""


class Change(BaseModel):
    """One observed change."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    detail: str = ""


class ScreenChange(BaseModel):
    """How much of the screen changed between before and after an action.

    Attributes:
        whole: Fraction of the whole screen's (downscaled) pixels that changed.
        local: The same around the action's point (``None`` without a point).
        hash_distance: Hamming distance of the two frames' 64-bit difference hashes.
    """

    model_config = ConfigDict(frozen=True)

    whole: float = Field(ge=0.0, le=1.0)
    local: float | None = Field(default=None, ge=0.0, le=1.0)
    hash_distance: int = Field(default=0, ge=0)

    @property
    def changed(self) -> bool:
        return self.whole > SCREEN_CHANGED or (self.local is not None and self.local > LOCAL_CHANGED)


class Effect(BaseModel):
    """What one action hit and changed.

    Attributes:
        hit: What the action's point landed on (pointer actions on platforms that can tell).
        changes: What changed, in the order it was found.
        screen: The pixel measure, where the driver compares frames.
    """

    model_config = ConfigDict(frozen=True)

    hit: Hit | None = None
    changes: tuple[Change, ...] = ()
    screen: ScreenChange | None = None

    @property
    def changed(self) -> bool:
        """Whether anything observable changed."""
        return any(c.kind not in _NOT_A_CHANGE for c in self.changes)

    @property
    def covered(self) -> bool:
        """Whether the point landed on something covering its target and nothing changed."""
        return self.hit is not None and self.hit.covered and not self.changed

    def blocked(self) -> str | None:
        """The detail of a navigation the allowlist blocked, if there was one."""
        return next((c.detail for c in self.changes if c.kind == "blocked"), None)

    def of(self, kind: ChangeKind) -> Change | None:
        """The first change of ``kind``."""
        return next((c for c in self.changes if c.kind == kind), None)

    def summary(self, verb: str = "action") -> str:
        """One short line for the policy and the report.

        ``the click landed on div#wall (backdrop), which covers link 'Report'; nothing
        changed`` or ``the click landed on button 'Save'; changed: URL -> /done, title``.
        """
        parts: list[str] = []
        if self.hit is not None:
            parts.append(self._hit_text(verb))
        blocked = self.blocked()
        if blocked:
            parts.append(blocked)
        shown = [c for c in self.changes if c.kind != "blocked"]
        if not self.changed and not blocked:
            parts.append("nothing changed")
        if shown:
            parts.append(
                ("changed: " if self.changed else "only: ") + ", ".join(_change_text(c) for c in shown[:4])
            )
        return "; ".join(parts)

    def _hit_text(self, verb: str) -> str:
        hit = self.hit
        assert hit is not None
        layer = f" ({hit.layer})" if hit.layer else ""
        text = f"the {verb} landed on {hit.element}{layer}"
        if hit.covered and hit.target:
            text += f", which covers {hit.target}"
        return text


def _change_text(change: Change) -> str:
    return f"{change.kind} {change.detail}" if change.detail else change.kind


# -- pixels ------------------------------------------------------------------------------


def screen_change(
    before: Image.Image,
    after: Image.Image,
    point: tuple[float, float] | None = None,
    *,
    radius: float = LOCAL_RADIUS,
) -> ScreenChange:
    """Compare two frames of the same screen, as a whole and around ``point``.

    Args:
        before: The frame the action was decided on.
        after: A frame taken after the action settled.
        point: The action's point in image pixels, for the local measure.
        radius: Half the side of the local square, in image pixels.
    """
    if before.size != after.size:
        return ScreenChange(whole=1.0, local=1.0 if point else None, hash_distance=64)
    if after is before:  # the driver knows nothing was drawn since
        return ScreenChange(whole=0.0, local=0.0 if point is not None else None, hash_distance=0)
    gray_before, gray_after = gray_boxes(before), gray_boxes(after)
    diff = np.abs(gray_before - gray_after) > 8
    whole = float(np.count_nonzero(diff)) / diff.size
    local = None
    if point is not None:
        r, cx, cy = radius / 4, point[0] / 4, point[1] / 4
        x0, x1 = max(0, int(cx - r)), min(diff.shape[1], int(cx + r) + 1)
        y0, y1 = max(0, int(cy - r)), min(diff.shape[0], int(cy + r) + 1)
        region = diff[y0:y1, x0:x1]
        local = float(np.count_nonzero(region)) / region.size if region.size else 0.0
    distance = bin(dhash(gray_before) ^ dhash(gray_after)).count("1")
    return ScreenChange(whole=whole, local=local, hash_distance=distance)


def screen_changes(change: ScreenChange) -> list[Change]:
    """The ``screen`` change a pixel measure amounts to (empty when the screen held still)."""
    if not change.changed:
        return []
    where = f"{change.local:.0%} around the point, " if change.local is not None else ""
    return [Change(kind="screen", detail=f"{where}{change.whole:.1%} of the screen")]
