"""Build a browser environment from command-line style options (``--env browser``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from screenpilot.environments.browser.config import BrowserConfig, DialogPolicy, ScreenshotFormat
from screenpilot.environments.browser.env import BrowserEnvironment
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options


class BrowserOptions(BaseModel):
    """Options accepted by ``--env browser`` (``-E key=value``; ``--url``, ``--allow-domain``,
    ``--headed`` fill ``url``, ``allowed_domains`` and ``headless``)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    headless: bool = True
    allowed_domains: tuple[str, ...] = ()
    viewport: str = "1280x800"
    """``WIDTHxHEIGHT`` in CSS pixels."""
    dpr: float = Field(default=1.0, gt=0.0, le=4.0)
    executable_path: str | None = None
    cdp_url: str | None = None
    dialogs: DialogPolicy = "accept"
    mask_passwords: bool = True
    screenshot_format: ScreenshotFormat = "png"
    select_overlay: bool = True
    settle_max_s: float = Field(default=3.0, ge=0.0, le=60.0)
    args: tuple[str, ...] = ()
    """Extra Chromium flags (comma separated on the command line)."""

    @field_validator("allowed_domains", "args", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("viewport")
    @classmethod
    def _size(cls, value: str) -> str:
        width, sep, height = value.lower().partition("x")
        if not sep or not width.isdigit() or not height.isdigit():
            raise ValueError("viewport must look like 1280x800")
        return value.lower()

    def to_config(self) -> BrowserConfig:
        width, _, height = self.viewport.partition("x")
        return BrowserConfig(
            executable_path=self.executable_path,
            cdp_url=self.cdp_url,
            headless=self.headless,
            viewport_width=int(width),
            viewport_height=int(height),
            device_scale_factor=self.dpr,
            start_url=self.url,
            allowed_domains=self.allowed_domains,
            dialog_policy=self.dialogs,
            mask_passwords=self.mask_passwords,
            screenshot_format=self.screenshot_format,
            native_select_overlay=self.select_overlay,
            settle_max_s=self.settle_max_s,
            launch_args=self.args,
        )


def from_options(options: Mapping[str, Any]) -> BrowserEnvironment:
    """The registry factory for ``"browser"``."""
    opts = validate_options(BrowserOptions, options, what="the browser environment")
    try:
        config = opts.to_config()
    except ValidationError as e:
        problems = "; ".join(str(err["msg"]) for err in e.errors())
        raise ConfigError(f"bad options for the browser environment: {problems}") from None
    return BrowserEnvironment(config)
