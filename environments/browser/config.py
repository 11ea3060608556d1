"""Options of the browser environment."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from screenpilot.tools.errors import ConfigError

DialogPolicy = Literal["accept", "dismiss", "policy"]
ScreenshotFormat = Literal["png", "jpeg"]

CHROMIUM_CANDIDATES: tuple[str, ...] = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
"""Where a system Chromium is looked for, in order (``playwright install`` may be unavailable)."""

QUIET_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-quic",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    # WebRTC may only use proxied TCP: no STUN or UDP relay traffic that no allowlist sees
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)
"""Launch flags that keep a browser on a closed network quiet and headless-friendly.

The project's one list of Chromium flags: the environment, the grounding-sample generator,
the maintainer scripts and the tests all launch with it (a test fails when another file
spells one of them)."""


def find_chromium(candidates: tuple[str, ...] = CHROMIUM_CANDIDATES) -> str:
    """The first Chromium-family executable found.

    Raises:
        ConfigError: When none is installed.
    """
    for path in candidates:
        if Path(path).is_file():
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(
        "no Chromium found (looked for " + ", ".join(candidates) + "); install the 'chromium' "
        "package or pass executable_path"
    )


class BrowserConfig(BaseModel):
    """How to start (or attach to) the browser and how to treat what happens in it.

    Attributes:
        executable_path: Chromium binary; ``None`` finds a system one.
        cdp_url: Attach to a running browser over the Chrome DevTools Protocol instead of
            launching one (``http://127.0.0.1:9222``).
        headless: Run without a window.
        viewport_width: Viewport width in CSS pixels.
        viewport_height: Viewport height in CSS pixels.
        device_scale_factor: Device pixels per CSS pixel (screenshots are this much larger).
        start_url: Page opened by ``reset()`` (``about:blank`` when unset).
        allowed_domains: Hosts the browser may load from (subdomains included, ``*``
            wildcards allowed, ``file`` allows file URLs); empty means no restriction.
        dialog_policy: What to do with JS dialogs: ``accept``, ``dismiss``, or ``policy``
            (keep the dialog open, draw it into the screenshot and let the policy click it).
        mask_passwords: Cover password fields in every screenshot.
        mask_color: Colour of the cover.
        screenshot_format: Encoding used to move the screenshot out of the browser.
        jpeg_quality: Quality when ``screenshot_format`` is ``jpeg``.
        settle_quiet_s: How long the network and the DOM must stay quiet to count as settled.
        settle_max_s: Upper bound of the settle wait after an action.
        navigation_timeout_s: Limit for page loads.
        scroll_step_px: CSS pixels per wheel notch of a ``scroll`` action.
        native_select_overlay: Replace native ``<select>`` pop-ups (invisible in headless
            screenshots) with an in-page list the policy can see and click.
        launch_args: Extra Chromium flags, after the quiet defaults.
        locale: Browser locale.
        user_agent: Override of the user agent string.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    executable_path: str | None = None
    cdp_url: str | None = None
    headless: bool = True
    viewport_width: int = Field(default=1280, ge=100, le=7680)
    viewport_height: int = Field(default=800, ge=100, le=4320)
    device_scale_factor: float = Field(default=1.0, gt=0.0, le=4.0)
    start_url: str | None = None
    allowed_domains: tuple[str, ...] = ()
    dialog_policy: DialogPolicy = "accept"
    mask_passwords: bool = True
    mask_color: str = "#000000"
    screenshot_format: ScreenshotFormat = "png"
    jpeg_quality: int = Field(default=85, ge=1, le=100)
    settle_quiet_s: float = Field(default=0.1, ge=0.0, le=5.0)
    settle_max_s: float = Field(default=3.0, ge=0.0, le=60.0)
    navigation_timeout_s: float = Field(default=30.0, gt=0.0, le=600.0)
    scroll_step_px: int = Field(default=100, gt=0, le=2000)
    native_select_overlay: bool = True
    launch_args: tuple[str, ...] = ()
    locale: str = "en-US"
    user_agent: str | None = None

    @field_validator("allowed_domains")
    @classmethod
    def _clean_domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.strip().lower() for d in value if d.strip())

    @model_validator(mode="after")
    def _start_allowed(self) -> BrowserConfig:
        from screenpilot.environments.browser.allowlist import normalize_url, url_allowed

        if self.start_url and not url_allowed(normalize_url(self.start_url), self.allowed_domains):
            raise ValueError(f"start_url {self.start_url} is outside allowed_domains {self.allowed_domains}")
        return self

    def resolved_executable(self) -> str:
        """The Chromium binary to launch (the configured one must exist)."""
        if self.executable_path is None:
            return find_chromium()
        if not Path(self.executable_path).is_file():
            raise ConfigError(f"browser executable {self.executable_path} does not exist")
        return self.executable_path

    def launch_arguments(self) -> list[str]:
        return [*QUIET_ARGS, *self.launch_args]
