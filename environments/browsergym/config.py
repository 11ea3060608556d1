"""Options of the BrowserGym environment."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.browser.config import find_chromium


class BrowserGymConfig(BaseModel):
    """Which BrowserGym task to open and how to start its browser.

    Attributes:
        task: BrowserGym task name without the ``browsergym/`` prefix
            (``miniwob.click-button``, ``webarena.310``); ``openended`` opens ``start_url``.
        start_url: The page of the ``openended`` task.
        task_kwargs: Extra arguments of the task (``base_url`` of MiniWoB++ pages...).
        seed: Seed of :meth:`~BrowserGymEnvironment.reset` when no episode was loaded.
        headless: Run without a window.
        executable_path: Chromium binary (default: the system one, as the browser
            environment finds it); launched with the project's quiet flags.
        viewport_width / viewport_height: Override the task's viewport (BrowserGym warns
            that this changes a task's difficulty; leave unset for benchmarks).
        action_timeout_ms: Playwright timeout of one action (default: the task's).
        pre_observation_delay_s: BrowserGym's wait after an action before observing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str = "openended"
    start_url: str | None = None
    task_kwargs: dict[str, Any] = Field(default_factory=dict)
    seed: int = 0
    headless: bool = True
    executable_path: str | None = None
    viewport_width: int | None = Field(default=None, ge=100)
    viewport_height: int | None = Field(default=None, ge=100)
    action_timeout_ms: int | None = Field(default=None, gt=0)
    pre_observation_delay_s: float = Field(default=0.5, ge=0.0)

    def resolved_executable(self) -> str:
        return self.executable_path or find_chromium()

    def viewport(self) -> dict[str, int] | None:
        if self.viewport_width is None or self.viewport_height is None:
            return None
        return {"width": self.viewport_width, "height": self.viewport_height}
