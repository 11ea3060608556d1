"""Where popups can be: the blocking surfaces of an observation and the controls on them.

A surface is something that sits over the app and may block it: a page's dialog, backdrop,
fixed banner or overlay (the browser marks the elements of such layers), an Android system
dialog or alert dialog (from the UI dump), or a desktop dialog window (a window transient
for another, read with OCR since it has no element tree). Rules only ever click controls
on surfaces, never the app underneath.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.points import Box, CoordSpace

TextReader = Callable[[Image.Image], list[tuple[str, Box]]]
"""Reads text lines from an image: ``(text, box in that image's pixels)`` per line."""

CONTROL_ROLES = frozenset({"button", "link", "menuitem"})
SYSTEM_DIALOG_PACKAGES = frozenset(
    {
        "android",
        "com.google.android.permissioncontroller",
        "com.android.permissioncontroller",
        "com.android.packageinstaller",
    }
)
ANDROID_ALERT_IDS = frozenset(
    {
        "android:id/alertTitle",
        "android:id/message",
        "android:id/button1",
        "android:id/button2",
        "android:id/button3",
    }
)


@dataclass(frozen=True)
class Control:
    """Something on a surface that can be clicked.

    Attributes:
        label: Its label; for controls read by OCR, a whole text line that may hold several.
        box: Where it is, in screen coordinates.
        line: Whether ``label`` is an OCR line (rules then search it instead of matching it
            whole, and narrow the box to the match).
    """

    label: str
    box: Box
    line: bool = False


@dataclass(frozen=True)
class Surface:
    """A blocking surface: what kind, its text, its controls.

    Attributes:
        kind: ``dialog``, ``backdrop``, ``banner``, ``overlay`` (pages), ``system dialog``,
            ``alert dialog`` (Android), ``dialog window`` (desktop).
        text: All its text, for ``when`` patterns.
        controls: What can be clicked on it.
        package: The Android package it belongs to.
    """

    kind: str
    text: str
    controls: tuple[Control, ...]
    package: str = ""

    def describe(self) -> str:
        text = " ".join(self.text.split())
        return f"{self.kind} {text[:60] + ('…' if len(text) > 60 else '')!r}"


def _is_control(el: UIElement) -> bool:
    if not (el.visible and el.enabled and el.label.strip()):
        return False
    if el.role in CONTROL_ROLES or el.tag in ("button", "a"):
        return True
    return el.attributes.get("clickable") == "true" or el.attributes.get("type") in ("button", "submit")


def page_layers(obs: Observation) -> list[Surface]:
    """The layers of a page, from the ``layer`` attributes of its elements (top-most last)."""
    layers: dict[str, list[UIElement]] = {}
    for el in obs.elements:
        if el.attributes.get("layer_id"):
            layers.setdefault(el.attributes["layer_id"], []).append(el)
    out = []
    for members in layers.values():
        first = members[0].attributes
        controls = tuple(Control(e.label.strip(), e.box) for e in members if _is_control(e))
        out.append(Surface(first.get("layer", "overlay"), first.get("layer_text", ""), controls))
    return out


def android_dialogs(obs: Observation) -> list[Surface]:
    """System dialogs (whole packages such as the permission controller) and alert dialogs."""
    by_package: dict[str, list[UIElement]] = {}
    for el in obs.elements:
        by_package.setdefault(el.attributes.get("package", ""), []).append(el)
    out = []
    for package, elements in by_package.items():
        members = elements
        kind = "system dialog"
        if package not in SYSTEM_DIALOG_PACKAGES:
            members = [e for e in elements if e.attributes.get("resource-id") in ANDROID_ALERT_IDS]
            if not members:
                continue
            kind = "alert dialog"
        text = " ".join(e.label for e in members if e.label)
        controls = tuple(Control(e.label.strip(), e.box) for e in members if _is_control(e))
        out.append(Surface(kind, text, controls, package=package))
    return out


class DialogWindowReader:
    """Reads the desktop's dialog window (``dialog_*`` in the observation's extra) with OCR,
    remembering the last few dialogs it read so an unchanged one is not read again."""

    def __init__(self, reader: TextReader) -> None:
        self.reader = reader
        self._seen: dict[str, Surface] = {}

    def __call__(self, obs: Observation) -> list[Surface]:
        extra = obs.extra
        if "dialog_w" not in extra:
            return []
        x, y = float(extra["dialog_x"]), float(extra["dialog_y"])
        box = Box(x0=x, y0=y, x1=x + float(extra["dialog_w"]), y1=y + float(extra["dialog_h"]))
        ib = box_to_space(box, CoordSpace.IMAGE, obs.geometry)
        crop = obs.screenshot.crop((round(ib.x0), round(ib.y0), round(ib.x1), round(ib.y1)))
        key = hashlib.sha1(crop.tobytes(), usedforsecurity=False).hexdigest()
        if key not in self._seen:
            self._seen = {k: v for k, v in list(self._seen.items())[-7:]}
            self._seen[key] = self._read(crop, ib, str(extra.get("dialog_title", "")), obs)
        return [self._seen[key]]

    def forget(self) -> None:
        """Drop the dialogs read so far (the next look reads again)."""
        self._seen.clear()

    def _read(self, crop: Image.Image, at: Box, title: str, obs: Observation) -> Surface:
        controls = []
        texts = [title] if title else []
        for text, b in self.reader(crop):
            texts.append(text)
            image_box = Box(
                x0=b.x0 + at.x0, y0=b.y0 + at.y0, x1=b.x1 + at.x0, y1=b.y1 + at.y0, space=at.space
            )
            controls.append(
                Control(text, box_to_space(image_box, CoordSpace.SCREEN, obs.geometry), line=True)
            )
        return Surface("dialog window", " ".join(texts), tuple(controls))


def surfaces_of(obs: Observation, dialog_windows: DialogWindowReader | None = None) -> list[Surface]:
    """Every blocking surface of ``obs``, front-most last."""
    if obs.elements:
        found = page_layers(obs)
        return found if found else android_dialogs(obs)
    if dialog_windows is not None:
        return dialog_windows(obs)
    return []
