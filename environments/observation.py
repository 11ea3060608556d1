"""What an environment shows the agent at one moment."""

from __future__ import annotations

import hashlib
import time

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.encoded import digest_of, png_of
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.png import encode_png
from screenpilot.tools.points import Box


class UIElement(BaseModel):
    """One element of the screen's structure (DOM node, accessibility node, UI dump node).

    ``box`` is in screen (driver) coordinates.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    role: str = ""
    tag: str = ""
    name: str = ""
    text: str = ""
    value: str | None = None
    placeholder: str = ""
    box: Box
    visible: bool = True
    enabled: bool = True
    editable: bool = False
    checked: bool | None = None
    selected: bool | None = None
    attributes: dict[str, str] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        """The best single human-facing label: accessible name, text, placeholder or value."""
        return self.name or self.text or self.placeholder or (self.value or "")


class TabInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    url: str
    title: str = ""
    active: bool = False


class Observation(BaseModel):
    """A screenshot with everything known about it.

    Attributes:
        screenshot: The image the model sees.
        geometry: How the screenshot maps to the driver's input space.
        capabilities: What the environment that produced it can do (policies see nothing
            else of the environment: the prompt picks its tools from this).
        elements: Structured elements, when the platform exposes them.
        url: Current URL (browser).
        title: Page or window title.
        app: Foreground application or package.
        tabs: Open tabs (browser).
        notices: Things that happened since the last observation that a policy should know
            (a dialog was dismissed, a page failed to load, the page crashed and was recreated).
        extra: Platform facts without a field of their own (Android: serial, density,
            rotation, orientation).
        timestamp: Wall-clock time of capture.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    screenshot: Image.Image = Field(exclude=True)
    geometry: ScreenGeometry
    capabilities: Capabilities
    elements: tuple[UIElement, ...] = ()
    url: str | None = None
    title: str | None = None
    app: str | None = None
    tabs: tuple[TabInfo, ...] = ()
    notices: tuple[str, ...] = ()
    extra: dict[str, str | int | float | bool] = Field(default_factory=dict)
    timestamp: float = Field(default_factory=time.time)

    @property
    def platform(self) -> str:
        """The informative platform name of the environment that produced it."""
        return self.capabilities.platform

    def png_bytes(self) -> bytes:
        """The screenshot as PNG: the driver's own bytes when it delivered PNG (registered
        with :func:`~screenpilot.environments.encoded.remember_png`), else one encode made on
        first use; every later call (the recorder, the model backend) gets the same bytes."""
        return png_of(self.screenshot)

    def digest(self) -> str:
        """SHA-256 (hex) of :meth:`png_bytes`, computed once: the name of the stored shot."""
        return digest_of(self.screenshot)

    def summary(self) -> dict[str, object]:
        """The observation without its pixels, for trajectories."""
        data = self.model_dump(mode="json", exclude={"elements", "capabilities"})
        return data | {"platform": self.platform, "elements": len(self.elements)}


def image_digest(image: Image.Image) -> str:
    """A content hash of the pixels (not of an encoding), stable across encoders.

    Run recordings name shots by :meth:`Observation.digest` (a hash of the PNG bytes, which
    costs no pass over the pixels); this one is for comparing images from different sources.
    """
    h = hashlib.sha256()
    h.update(f"{image.mode}:{image.size}".encode())
    h.update(image.tobytes())
    return h.hexdigest()


__all__ = ["Observation", "TabInfo", "UIElement", "encode_png", "image_digest"]
